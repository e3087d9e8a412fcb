import { Migration } from '@mikro-orm/migrations';

export class Migration20261203093208_voltage_clamp extends Migration {
  override name = 'Migration20261203093208_voltage_clamp';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "connection_strength_vc" ("id" serial primary key, "experiment_id" varchar(512) not null, "pair_id" int not null, "synapse_type" varchar(4) null, "detection_score" double precision null, "sign_evidence" double precision null, "n_samples" int not null, "n_background" int not null, "holding_potential" double precision null, "holding_current" double precision null, "amp_mean" double precision null, "amp_stdev" double precision null, "bg_amp_mean" double precision null, "bg_amp_stdev" double precision null, "amp_ttest_p" double precision null, "amp_ks_p" double precision null, "latency_mean" double precision null, "latency_stdev" double precision null, "dec_amp_mean" double precision null, "bg_dec_amp_mean" double precision null, "fit_amplitude" double precision null, "fit_latency" double precision null, "fit_rise_time" double precision null, "fit_decay_tau" double precision null, "fit_nrmse" double precision null, "fit_pulse_amplitudes" jsonb null);`,
    );
    this.addSql(
      `create index "connection_strength_vc_experiment_id_index" on "connection_strength_vc" ("experiment_id");`,
    );
    this.addSql(
      `alter table "connection_strength_vc" add constraint "connection_strength_vc_pair_id_unique" unique ("pair_id");`,
    );

    this.addSql(
      `create table "pulse_response_vc_strength" ("id" serial primary key, "experiment_id" varchar(512) not null, "pulse_response_id" int not null, "baseline" double precision null, "pos_amp" double precision null, "neg_amp" double precision null, "pos_latency" double precision null, "neg_latency" double precision null, "dec_pos_amp" double precision null, "dec_neg_amp" double precision null, "dec_mean_amp" double precision null, "template_amp" double precision null, "crosstalk" double precision null, "bg_baseline" double precision null, "bg_pos_amp" double precision null, "bg_neg_amp" double precision null, "bg_pos_latency" double precision null, "bg_neg_latency" double precision null, "bg_dec_pos_amp" double precision null, "bg_dec_neg_amp" double precision null, "bg_dec_mean_amp" double precision null, "bg_template_amp" double precision null, "bg_crosstalk" double precision null);`,
    );
    this.addSql(
      `create index "pulse_response_vc_strength_experiment_id_index" on "pulse_response_vc_strength" ("experiment_id");`,
    );
    this.addSql(
      `alter table "pulse_response_vc_strength" add constraint "pulse_response_vc_strength_pulse_response_id_unique" unique ("pulse_response_id");`,
    );

    this.addSql(
      `alter table "recording" add "baseline_current" double precision null, add "tp_access_resistance" double precision null;`,
    );

    this.addSql(
      `alter table "connection_strength_vc" add constraint "connection_strength_vc_experiment_id_foreign" foreign key ("experiment_id") references "experiment" ("id");`,
    );
    this.addSql(
      `alter table "connection_strength_vc" add constraint "connection_strength_vc_pair_id_foreign" foreign key ("pair_id") references "pair" ("id");`,
    );

    this.addSql(
      `alter table "pulse_response_vc_strength" add constraint "pulse_response_vc_strength_experiment_id_foreign" foreign key ("experiment_id") references "experiment" ("id");`,
    );
    this.addSql(
      `alter table "pulse_response_vc_strength" add constraint "pulse_response_vc_strength_pulse_response_id_foreign" foreign key ("pulse_response_id") references "pulse_response" ("id");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "connection_strength_vc" cascade;`);
    this.addSql(`drop table if exists "pulse_response_vc_strength" cascade;`);

    this.addSql(`alter table "recording" drop column "baseline_current", drop column "tp_access_resistance";`);
  }
}
