import { Migration } from '@mikro-orm/migrations';

export class Migration20261202165429_average_response extends Migration {
  override name = 'Migration20261202165429_average_response';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "average_response" ("id" serial primary key, "experiment_id" varchar(512) not null, "pair_id" int not null, "pulse_number" int not null, "n_averaged" int not null, "sample_rate" double precision not null, "window_start" double precision not null, "spike_time" double precision not null, "data" bytea not null, "fit_data" bytea null);`,
    );
    this.addSql(`create index "average_response_experiment_id_index" on "average_response" ("experiment_id");`);
    this.addSql(`create index "average_response_pair_id_index" on "average_response" ("pair_id");`);
    this.addSql(
      `alter table "average_response" add constraint "average_response_pair_id_pulse_number_unique" unique ("pair_id", "pulse_number");`,
    );

    this.addSql(
      `alter table "average_response" add constraint "average_response_experiment_id_foreign" foreign key ("experiment_id") references "experiment" ("id");`,
    );
    this.addSql(
      `alter table "average_response" add constraint "average_response_pair_id_foreign" foreign key ("pair_id") references "pair" ("id");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "average_response" cascade;`);
  }
}
