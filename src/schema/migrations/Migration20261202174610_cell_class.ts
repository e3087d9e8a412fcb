import { Migration } from '@mikro-orm/migrations';

export class Migration20261202174610_cell_class extends Migration {
  override name = 'Migration20261202174610_cell_class';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "cell_class" ("id" serial primary key, "experiment_id" varchar(512) not null, "cell_id" int not null, "class_name" varchar(64) not null);`,
    );
    this.addSql(`create index "cell_class_experiment_id_index" on "cell_class" ("experiment_id");`);
    this.addSql(`create index "cell_class_cell_id_index" on "cell_class" ("cell_id");`);
    this.addSql(
      `alter table "cell_class" add constraint "cell_class_cell_id_class_name_unique" unique ("cell_id", "class_name");`,
    );

    this.addSql(`alter table "cell" add "morphology" varchar(64) null;`);

    this.addSql(
      `alter table "cell_class" add constraint "cell_class_experiment_id_foreign" foreign key ("experiment_id") references "experiment" ("id");`,
    );
    this.addSql(
      `alter table "cell_class" add constraint "cell_class_cell_id_foreign" foreign key ("cell_id") references "cell" ("id");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "cell_class" cascade;`);

    this.addSql(`alter table "cell" drop column "morphology";`);
  }
}
