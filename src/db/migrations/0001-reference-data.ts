import { type Kysely, sql } from 'kysely'

/** Reference data: lists a team changes without code, loaded from reference/ by `ipic migrate`. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rom_regions (
      code text primary key,
      name text not null,
      position int not null
    );
    create table ice_regions (
      code text primary key,
      name text not null,
      position int not null
    );
    create table reporting_locations (
      code text primary key,
      name text not null,
      kind text not null check (kind in ('REPORTING_CENTRE', 'POLICE_STATION')),
      rom_region text not null references rom_regions (code),
      active boolean not null default true
    );
    create index reporting_locations_region on reporting_locations (rom_region);
    create table countries (
      code text primary key,
      alpha2 text not null unique,
      name text not null
    );
    create table business_areas (
      code text primary key,
      name text not null,
      short_name text not null
    );
    create table task_types (
      code text primary key,
      name text not null,
      description text not null,
      enforcement boolean not null,
      position int not null,
      active boolean not null default true
    );
    create table rejection_reasons (
      code text primary key,
      label text not null,
      position int not null,
      raises_data_quality_item boolean not null default false,
      explanation_required boolean not null default false,
      active boolean not null default true
    );
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table rejection_reasons, task_types, business_areas, countries, reporting_locations, ice_regions, rom_regions
  `.execute(db)
}
