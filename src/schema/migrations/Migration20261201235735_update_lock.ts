import { Migration } from '@mikro-orm/migrations';

export class Migration20261201235735_update_lock extends Migration {
  override name = 'Migration20261201235735_update_lock';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "pipeline_lock" ("name" varchar(32) not null, "holder" varchar(255) not null, "taken_at" timestamptz not null, primary key ("name"));`,
    );
    // The lock used to be a `kind = 'lock'` row of pipeline_plan; an update holding it keeps it.
    this.addSql(
      `insert into "pipeline_lock" ("name", "holder", "taken_at") select 'update', "update_id", "created_at" from "pipeline_plan" where "kind" = 'lock' and "key" = 'update';`,
    );
    this.addSql(`delete from "pipeline_plan" where "kind" = 'lock';`);
    // dataset and pulse_response now declare the parameters they always ran with. Records written
    // before (params hash of {}) ran with exactly these defaults: they stay up to date, not params-changed.
    this.addSql(
      `update "pipeline_job" set "params_hash" = '7907b117e1c1c1c6' where "module" = 'dataset' and "params_hash" = '44136fa355b3678a';`,
    );
    this.addSql(
      `update "pipeline_job" set "params_hash" = 'c9edcc4baee29375' where "module" = 'pulse_response' and "params_hash" = '44136fa355b3678a';`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `insert into "pipeline_plan" ("update_id", "kind", "seq", "key", "jobs", "created_at") select "holder", 'lock', 0, 'update', '[]'::jsonb, "taken_at" from "pipeline_lock" where "name" = 'update';`,
    );
    this.addSql(`drop table if exists "pipeline_lock" cascade;`);
  }
}
