"""Reads mpctl export releases back as a scientist would (pandas + pyarrow, sqlite3) and compares
them with what the database held, as written by test/export/export.test.ts into MPCTL_EXPORT_EXPECTED."""

import json
import os
import sqlite3

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

EXPECTED = json.load(open(os.environ["MPCTL_EXPORT_EXPECTED"]))
PARQUET = EXPECTED["parquet"]
SQLITE = os.path.join(EXPECTED["sqlite"], "release.sqlite")


def read_parquet(table):
    return pd.read_parquet(os.path.join(PARQUET, f"{table}.parquet"))


def read_sqlite(table):
    with sqlite3.connect(SQLITE) as db:
        return pd.read_sql(f'SELECT * FROM "{table}"', db)


READERS = [read_parquet, read_sqlite]


@pytest.mark.parametrize("read", READERS)
def test_every_table_has_the_database_row_count_and_columns(read):
    for table, info in EXPECTED["tables"].items():
        frame = read(table)
        assert len(frame) == info["rows"], table
        assert list(frame.columns) == info["columns"], table


@pytest.mark.parametrize("read", READERS)
def test_pairs_has_one_row_per_tested_pair_with_the_database_values(read):
    pairs = read("pairs").sort_values("pair_id").reset_index(drop=True)
    expected = pd.DataFrame(EXPECTED["pairs"]).sort_values("pair_id").reset_index(drop=True)
    assert list(pairs["pair_id"]) == list(expected["pair_id"])
    assert list(pairs["experiment"]) == list(expected["experiment"])
    assert [bool(c) for c in pairs["connected"]] == list(expected["connected"])
    for column in ["detection_score", "amplitude", "latency", "distance_um"]:
        np.testing.assert_allclose(
            pairs[column].astype(float), expected[column].astype(float), rtol=0, atol=0, equal_nan=True
        )


@pytest.mark.parametrize("read", READERS)
def test_average_response_samples_decode_as_little_endian_float32(read):
    avg = read("average_response").set_index("id")
    for sample in EXPECTED["averages"]:
        row = avg.loc[sample["id"]]
        values = np.frombuffer(row["data"], dtype="<f4")
        np.testing.assert_array_equal(values, np.array(sample["data"], dtype="<f4"))
        fit = np.frombuffer(row["fit_data"], dtype="<f4")
        assert fit.size == values.size
        t = row["window_start"] + np.arange(values.size) / row["sample_rate"]
        assert t[0] == pytest.approx(sample["window_start"])


def test_parquet_types_are_what_schema_md_says():
    schema = pq.read_schema(os.path.join(PARQUET, "average_response.parquet"))
    assert str(schema.field("data").type) == "binary"
    assert str(schema.field("pulse_number").type) == "int32"
    assert str(schema.field("sample_rate").type) == "double"
    pairs = pq.read_schema(os.path.join(PARQUET, "pairs.parquet"))
    assert str(pairs.field("connected").type) == "bool"
