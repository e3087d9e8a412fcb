import { Migration } from '@mikro-orm/migrations';

export class Migration20261122031704_initial extends Migration {
  override name = 'Migration20261122031704_initial';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "pipeline_job" ("id" serial primary key, "module" varchar(64) not null, "job_id" varchar(512) not null, "status" varchar(16) not null, "reason" varchar(128) null, "error_message" text null, "error_type" varchar(64) null, "error_stack" text null, "source_file" text null, "attempts" int not null default 0, "started_at" timestamptz null, "finished_at" timestamptz null, "duration_ms" int null, "worker_identity" varchar(255) null, "workflow_id" varchar(600) null, "run_id" varchar(64) null, "update_id" varchar(255) null, "input_fingerprint" varchar(64) null, "code_version" varchar(64) null, "params_hash" varchar(64) null, "raw_signature" varchar(64) null, "upstream" jsonb null, "row_counts" jsonb null);`,
    );
    this.addSql(`create index "pipeline_job_status_index" on "pipeline_job" ("status");`);
    this.addSql(
      `alter table "pipeline_job" add constraint "pipeline_job_module_job_id_unique" unique ("module", "job_id");`,
    );

    this.addSql(
      `create table "pipeline_plan" ("id" serial primary key, "update_id" varchar(255) not null, "kind" varchar(16) not null, "seq" int not null, "key" varchar(512) not null, "jobs" jsonb not null, "created_at" timestamptz not null);`,
    );
    this.addSql(
      `create index "pipeline_plan_update_id_kind_seq_index" on "pipeline_plan" ("update_id", "kind", "seq");`,
    );

    this.addSql(
      `create table "slice" ("id" varchar(255) not null, "data_root" text not null, "storage_path" text not null, "specimen_id" varchar(255) null, "species" varchar(64) null, "genotype" text null, "age_days" int null, "date" varchar(32) null, "quality" int null, "hemisphere" varchar(16) null, "thickness_um" double precision null, "project" text null, "meta" jsonb null, primary key ("id"));`,
    );

    this.addSql(
      `create table "experiment" ("id" varchar(512) not null, "slice_id" varchar(255) not null, "storage_path" text not null, "acq_timestamp" double precision null, "date" varchar(40) null, "target_region" varchar(64) null, "target_temperature_c" double precision null, "rig_name" varchar(64) null, "operator_name" varchar(128) null, "internal" varchar(128) null, "acsf" varchar(128) null, "ephys_file" text null, "meta" jsonb null, primary key ("id"));`,
    );
    this.addSql(`create index "experiment_slice_id_index" on "experiment" ("slice_id");`);

    this.addSql(
      `create table "electrode" ("id" serial primary key, "experiment_id" varchar(512) not null, "ext_id" varchar(16) not null, "device_id" int not null, "patch_status" varchar(64) null, "got_data" boolean not null, "start_time" varchar(40) null, "stop_time" varchar(40) null);`,
    );
    this.addSql(`create index "electrode_experiment_id_index" on "electrode" ("experiment_id");`);

    this.addSql(
      `create table "cell" ("id" serial primary key, "experiment_id" varchar(512) not null, "electrode_id" int not null, "ext_id" varchar(16) not null, "cre_type" varchar(64) null, "labels" jsonb null, "target_layer" varchar(16) null, "position_um" jsonb null, "depth_um" double precision null, "qc" jsonb null);`,
    );
    this.addSql(`create index "cell_experiment_id_index" on "cell" ("experiment_id");`);
    this.addSql(`create index "cell_electrode_id_index" on "cell" ("electrode_id");`);

    this.addSql(
      `create table "pair" ("id" serial primary key, "experiment_id" varchar(512) not null, "pre_cell_id" int not null, "post_cell_id" int not null, "distance_um" double precision null);`,
    );
    this.addSql(`create index "pair_experiment_id_index" on "pair" ("experiment_id");`);
    this.addSql(`create index "pair_pre_cell_id_index" on "pair" ("pre_cell_id");`);
    this.addSql(`create index "pair_post_cell_id_index" on "pair" ("post_cell_id");`);
    this.addSql(
      `alter table "pair" add constraint "pair_pre_cell_id_post_cell_id_unique" unique ("pre_cell_id", "post_cell_id");`,
    );

    this.addSql(
      `alter table "experiment" add constraint "experiment_slice_id_foreign" foreign key ("slice_id") references "slice" ("id");`,
    );

    this.addSql(
      `alter table "electrode" add constraint "electrode_experiment_id_foreign" foreign key ("experiment_id") references "experiment" ("id");`,
    );

    this.addSql(
      `alter table "cell" add constraint "cell_experiment_id_foreign" foreign key ("experiment_id") references "experiment" ("id");`,
    );
    this.addSql(
      `alter table "cell" add constraint "cell_electrode_id_foreign" foreign key ("electrode_id") references "electrode" ("id");`,
    );

    this.addSql(
      `alter table "pair" add constraint "pair_experiment_id_foreign" foreign key ("experiment_id") references "experiment" ("id");`,
    );
    this.addSql(
      `alter table "pair" add constraint "pair_pre_cell_id_foreign" foreign key ("pre_cell_id") references "cell" ("id");`,
    );
    this.addSql(
      `alter table "pair" add constraint "pair_post_cell_id_foreign" foreign key ("post_cell_id") references "cell" ("id");`,
    );
  }
}
