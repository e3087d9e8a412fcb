import { Migration } from '@mikro-orm/migrations';

export class Migration20261202005347_external_modules extends Migration {
  override name = 'Migration20261202005347_external_modules';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "pipeline_job_log" ("id" serial primary key, "module" varchar(64) not null, "job_id" varchar(512) not null, "attempt" int not null, "temporal_attempt" int not null, "workflow_id" varchar(600) null, "run_id" varchar(64) null, "started_at" timestamptz not null, "ended_at" timestamptz not null, "exit_code" int null, "signal" varchar(16) null, "outcome" varchar(32) not null, "truncated" boolean not null, "text" text not null);`,
    );
    this.addSql(
      `alter table "pipeline_job_log" add constraint "pipeline_job_log_module_job_id_attempt_unique" unique ("module", "job_id", "attempt");`,
    );

    this.addSql(
      `create table "pipeline_module" ("name" varchar(64) not null, "version" varchar(64) not null, "origin" text not null, "tables_hash" varchar(64) not null, "tables" jsonb not null, "registered_at" timestamptz not null, primary key ("name"));`,
    );

    this.addSql(`alter table "pipeline_job" add "provenance" jsonb null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "pipeline_job_log" cascade;`);
    this.addSql(`drop table if exists "pipeline_module" cascade;`);

    this.addSql(`alter table "pipeline_job" drop column "provenance";`);
  }
}
