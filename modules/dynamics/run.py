"""mpctl module `dynamics`: short-term plasticity per connected pair (see stp.py and docs/science.md)."""

from __future__ import annotations

from dataclasses import asdict

from mpctl_module import Job, run

from stp import stp


def main(job: Job) -> None:
    threshold = float(job.params.get("detection_threshold", 4))
    pairs = job.query(
        """SELECT pair_id, synapse_type, fit_pulse_amplitudes FROM connection_strength
        WHERE experiment_id = %s AND detection_score >= %s ORDER BY pair_id""",
        [job.experiment_id, threshold],
    )
    rows = job.query(
        """SELECT pr.pair_id, r.sweep_number, sp.pulse_number, s.pos_amp, s.neg_amp, pr.ex_qc_pass, pr.in_qc_pass
        FROM pulse_response pr
        JOIN pulse_response_strength s ON s.pulse_response_id = pr.id
        JOIN stim_pulse sp ON sp.id = pr.stim_pulse_id
        JOIN recording r ON r.id = pr.recording_id
        WHERE pr.experiment_id = %s AND pr.pair_id = ANY(%s)""",
        [job.experiment_id, [p["pair_id"] for p in pairs]],
    )
    for i, pair in enumerate(pairs):
        ex = pair["synapse_type"] != "in"
        trains: dict[int, dict[int, float]] = {}
        for r in rows:
            amp = r["pos_amp"] if ex else r["neg_amp"]
            passed = r["ex_qc_pass"] if ex else r["in_qc_pass"]
            if r["pair_id"] == pair["pair_id"] and passed and amp is not None:
                trains.setdefault(r["sweep_number"], {})[r["pulse_number"]] = amp
        result = stp(list(trains.values()), pair["fit_pulse_amplitudes"])
        job.emit("dynamics", {"pair_id": pair["pair_id"], **asdict(result)})
        job.progress((i + 1) / len(pairs))


if __name__ == "__main__":
    run(main)
