import { Migration } from '@mikro-orm/migrations';

export class Migration20261122042427_science extends Migration {
  override name = 'Migration20261122042427_science';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "recording" ("id" serial primary key, "experiment_id" varchar(512) not null, "electrode_id" int not null, "cell_id" int null, "sweep_number" int not null, "clamp_mode" varchar(8) not null, "sample_rate" double precision not null, "start_time" double precision not null, "n_samples" int not null, "stimulus_description" text null, "baseline_potential" double precision null, "noise_sd" double precision null, "qc_pass" boolean not null, "qc_reasons" jsonb not null, "tp_input_resistance" double precision null, "tp_tau" double precision null, "tp_baseline" double precision null);`,
    );
    this.addSql(`create index "recording_experiment_id_index" on "recording" ("experiment_id");`);
    this.addSql(`create index "recording_electrode_id_index" on "recording" ("electrode_id");`);
    this.addSql(`create index "recording_cell_id_index" on "recording" ("cell_id");`);
    this.addSql(
      `alter table "recording" add constraint "recording_electrode_id_sweep_number_unique" unique ("electrode_id", "sweep_number");`,
    );

    this.addSql(
      `create table "connection_strength" ("id" serial primary key, "experiment_id" varchar(512) not null, "pair_id" int not null, "synapse_type" varchar(4) null, "detection_score" double precision null, "sign_evidence" double precision null, "n_samples" int not null, "n_background" int not null, "amp_mean" double precision null, "amp_stdev" double precision null, "bg_amp_mean" double precision null, "bg_amp_stdev" double precision null, "amp_ttest_p" double precision null, "amp_ks_p" double precision null, "latency_mean" double precision null, "latency_stdev" double precision null, "dec_amp_mean" double precision null, "bg_dec_amp_mean" double precision null, "dec_amp_ttest_p" double precision null, "dec_amp_ks_p" double precision null, "dec_mean_ttest_p" double precision null, "dec_mean_ks_p" double precision null, "fit_amplitude" double precision null, "fit_latency" double precision null, "fit_rise_time" double precision null, "fit_decay_tau" double precision null, "fit_nrmse" double precision null, "fit_pulse_amplitudes" jsonb null);`,
    );
    this.addSql(`create index "connection_strength_experiment_id_index" on "connection_strength" ("experiment_id");`);
    this.addSql(
      `alter table "connection_strength" add constraint "connection_strength_pair_id_unique" unique ("pair_id");`,
    );

    this.addSql(
      `create table "intrinsic" ("id" serial primary key, "experiment_id" varchar(512) not null, "cell_id" int not null, "resting_potential" double precision null, "input_resistance" double precision null, "membrane_tau" double precision null, "noise_sd" double precision null, "n_sweeps" int not null);`,
    );
    this.addSql(`create index "intrinsic_experiment_id_index" on "intrinsic" ("experiment_id");`);
    this.addSql(`alter table "intrinsic" add constraint "intrinsic_cell_id_unique" unique ("cell_id");`);

    this.addSql(
      `create table "baseline" ("id" serial primary key, "experiment_id" varchar(512) not null, "recording_id" int not null, "start_index" int not null, "sample_rate" double precision not null, "data" bytea not null, "qc_pass" boolean not null);`,
    );
    this.addSql(`create index "baseline_experiment_id_index" on "baseline" ("experiment_id");`);
    this.addSql(`create index "baseline_recording_id_index" on "baseline" ("recording_id");`);

    this.addSql(
      `create table "stim_pulse" ("id" serial primary key, "experiment_id" varchar(512) not null, "recording_id" int not null, "pulse_number" int not null, "onset_index" int not null, "onset_time" double precision not null, "amplitude" double precision not null, "duration" double precision not null, "n_spikes" int not null, "spike_time" double precision null, "spike_onset_time" double precision null, "spike_peak" double precision null, "previous_pulse_dt" double precision null);`,
    );
    this.addSql(`create index "stim_pulse_experiment_id_index" on "stim_pulse" ("experiment_id");`);
    this.addSql(`create index "stim_pulse_recording_id_index" on "stim_pulse" ("recording_id");`);

    this.addSql(
      `create table "pulse_response" ("id" serial primary key, "experiment_id" varchar(512) not null, "stim_pulse_id" int not null, "pair_id" int not null, "recording_id" int not null, "baseline_id" int null, "window_start" int not null, "sample_rate" double precision not null, "data" bytea not null, "ex_qc_pass" boolean not null, "in_qc_pass" boolean not null, "qc_reasons" jsonb not null);`,
    );
    this.addSql(`create index "pulse_response_experiment_id_index" on "pulse_response" ("experiment_id");`);
    this.addSql(`create index "pulse_response_stim_pulse_id_index" on "pulse_response" ("stim_pulse_id");`);
    this.addSql(`create index "pulse_response_pair_id_index" on "pulse_response" ("pair_id");`);
    this.addSql(`create index "pulse_response_recording_id_index" on "pulse_response" ("recording_id");`);
    this.addSql(`create index "pulse_response_baseline_id_index" on "pulse_response" ("baseline_id");`);

    this.addSql(
      `create table "pulse_response_strength" ("id" serial primary key, "experiment_id" varchar(512) not null, "pulse_response_id" int not null, "baseline" double precision null, "pos_amp" double precision null, "neg_amp" double precision null, "pos_latency" double precision null, "neg_latency" double precision null, "dec_pos_amp" double precision null, "dec_neg_amp" double precision null, "dec_mean_amp" double precision null, "template_amp" double precision null, "crosstalk" double precision null, "bg_baseline" double precision null, "bg_pos_amp" double precision null, "bg_neg_amp" double precision null, "bg_pos_latency" double precision null, "bg_neg_latency" double precision null, "bg_dec_pos_amp" double precision null, "bg_dec_neg_amp" double precision null, "bg_dec_mean_amp" double precision null, "bg_template_amp" double precision null, "bg_crosstalk" double precision null);`,
    );
    this.addSql(
      `create index "pulse_response_strength_experiment_id_index" on "pulse_response_strength" ("experiment_id");`,
    );
    this.addSql(
      `alter table "pulse_response_strength" add constraint "pulse_response_strength_pulse_response_id_unique" unique ("pulse_response_id");`,
    );

    this.addSql(
      `alter table "recording" add constraint "recording_experiment_id_foreign" foreign key ("experiment_id") references "experiment" ("id");`,
    );
    this.addSql(
      `alter table "recording" add constraint "recording_electrode_id_foreign" foreign key ("electrode_id") references "electrode" ("id");`,
    );
    this.addSql(
      `alter table "recording" add constraint "recording_cell_id_foreign" foreign key ("cell_id") references "cell" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "connection_strength" add constraint "connection_strength_experiment_id_foreign" foreign key ("experiment_id") references "experiment" ("id");`,
    );
    this.addSql(
      `alter table "connection_strength" add constraint "connection_strength_pair_id_foreign" foreign key ("pair_id") references "pair" ("id");`,
    );

    this.addSql(
      `alter table "intrinsic" add constraint "intrinsic_experiment_id_foreign" foreign key ("experiment_id") references "experiment" ("id");`,
    );
    this.addSql(
      `alter table "intrinsic" add constraint "intrinsic_cell_id_foreign" foreign key ("cell_id") references "cell" ("id");`,
    );

    this.addSql(
      `alter table "baseline" add constraint "baseline_experiment_id_foreign" foreign key ("experiment_id") references "experiment" ("id");`,
    );
    this.addSql(
      `alter table "baseline" add constraint "baseline_recording_id_foreign" foreign key ("recording_id") references "recording" ("id");`,
    );

    this.addSql(
      `alter table "stim_pulse" add constraint "stim_pulse_experiment_id_foreign" foreign key ("experiment_id") references "experiment" ("id");`,
    );
    this.addSql(
      `alter table "stim_pulse" add constraint "stim_pulse_recording_id_foreign" foreign key ("recording_id") references "recording" ("id");`,
    );

    this.addSql(
      `alter table "pulse_response" add constraint "pulse_response_experiment_id_foreign" foreign key ("experiment_id") references "experiment" ("id");`,
    );
    this.addSql(
      `alter table "pulse_response" add constraint "pulse_response_stim_pulse_id_foreign" foreign key ("stim_pulse_id") references "stim_pulse" ("id");`,
    );
    this.addSql(
      `alter table "pulse_response" add constraint "pulse_response_pair_id_foreign" foreign key ("pair_id") references "pair" ("id");`,
    );
    this.addSql(
      `alter table "pulse_response" add constraint "pulse_response_recording_id_foreign" foreign key ("recording_id") references "recording" ("id");`,
    );
    this.addSql(
      `alter table "pulse_response" add constraint "pulse_response_baseline_id_foreign" foreign key ("baseline_id") references "baseline" ("id") on delete set null;`,
    );

    this.addSql(
      `alter table "pulse_response_strength" add constraint "pulse_response_strength_experiment_id_foreign" foreign key ("experiment_id") references "experiment" ("id");`,
    );
    this.addSql(
      `alter table "pulse_response_strength" add constraint "pulse_response_strength_pulse_response_id_foreign" foreign key ("pulse_response_id") references "pulse_response" ("id");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "baseline" drop constraint "baseline_recording_id_foreign";`);
    this.addSql(`alter table "stim_pulse" drop constraint "stim_pulse_recording_id_foreign";`);
    this.addSql(`alter table "pulse_response" drop constraint "pulse_response_recording_id_foreign";`);
    this.addSql(`alter table "pulse_response" drop constraint "pulse_response_baseline_id_foreign";`);
    this.addSql(`alter table "pulse_response" drop constraint "pulse_response_stim_pulse_id_foreign";`);
    this.addSql(
      `alter table "pulse_response_strength" drop constraint "pulse_response_strength_pulse_response_id_foreign";`,
    );

    this.addSql(`drop table if exists "recording" cascade;`);
    this.addSql(`drop table if exists "connection_strength" cascade;`);
    this.addSql(`drop table if exists "intrinsic" cascade;`);
    this.addSql(`drop table if exists "baseline" cascade;`);
    this.addSql(`drop table if exists "stim_pulse" cascade;`);
    this.addSql(`drop table if exists "pulse_response" cascade;`);
    this.addSql(`drop table if exists "pulse_response_strength" cascade;`);
  }
}
