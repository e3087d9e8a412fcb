import { Migration } from '@mikro-orm/migrations';

export class Migration20261204142850_detection_power extends Migration {
  override name = 'Migration20261204142850_detection_power';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table "connection_strength_vc" add "detection_shift" double precision null, add "detection_se" double precision null;`,
    );

    this.addSql(
      `alter table "connection_strength" add "detection_shift" double precision null, add "detection_se" double precision null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "connection_strength" drop column "detection_shift", drop column "detection_se";`);

    this.addSql(`alter table "connection_strength_vc" drop column "detection_shift", drop column "detection_se";`);
  }
}
