import { type Kysely, sql } from 'kysely'

/**
 * The case record: one row per person with every single-valued section of
 * the case view, and one table per list (barriers, offences, children,
 * vulnerability indicators, referrals). `content_hash` lets an import skip a
 * record that has not changed; `data_changed_at` tells the rules when the
 * person's data last changed (a rejected task is suppressed until then).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table persons (
      person_id text primary key,
      home_office_reference text not null,
      family_name text not null,
      given_names text not null,
      date_of_birth date not null,
      age_disputed boolean not null,
      gender text not null,
      nationality text not null references countries (code),
      rom_region text not null references rom_regions (code),
      ice_region text not null references ice_regions (code),
      red_notice text not null,
      case_type text not null,
      immigration_status text not null,
      identified_for_removal boolean not null,
      voluntary_return_declined_on date,

      travel_document text not null,
      travel_document_held_by text,
      travel_document_expiry date,
      etd_status text not null,
      identity_status text not null,

      reporting_location text not null references reporting_locations (code),
      reporting_type text not null,
      reporting_frequency text not null,
      next_reporting_date date,
      next_reporting_date_2 date,
      next_reporting_date_3 date,
      last_attended date,
      missed_events_90_days int not null,
      consecutive_missed int not null,
      compliance text not null,
      ever_out_of_contact boolean not null,
      whereabouts text not null,
      residence_condition boolean not null,
      electronic_monitoring text not null,
      curfew boolean not null,
      em_last_reviewed date,

      foreign_national_offender boolean not null,
      longest_sentence_months int,
      harm_level text not null,
      deportation_order boolean not null,
      on_licence boolean not null,

      relationship text not null,
      primary_carer boolean not null,
      family_case boolean not null,

      adult_at_risk_level smallint not null check (adult_at_risk_level between 0 and 3),
      nrm_status text not null,
      self_harm_risk boolean not null,
      care_leaver boolean not null,
      pregnant boolean not null,
      em_contraindicated boolean not null,

      source_updated_at timestamptz,
      content_hash text not null,
      first_imported_at timestamptz not null,
      data_changed_at timestamptz not null,
      present boolean not null default true
    );
    create index persons_region_reporting on persons (rom_region, next_reporting_date);

    create table barriers (
      person_id text not null references persons (person_id) on delete cascade,
      position smallint not null,
      type text not null,
      suspensive boolean not null,
      raised_on date not null,
      resolved_on date,
      owning_team text not null,
      primary key (person_id, position)
    );
    create table offences (
      person_id text not null references persons (person_id) on delete cascade,
      position smallint not null,
      category text not null,
      convicted_on date not null,
      sentence_months int,
      primary key (person_id, position)
    );
    create table children (
      person_id text not null references persons (person_id) on delete cascade,
      position smallint not null,
      date_of_birth date not null,
      british boolean not null,
      lives_with boolean not null,
      primary key (person_id, position)
    );
    create table vulnerability_indicators (
      person_id text not null references persons (person_id) on delete cascade,
      position smallint not null,
      type text not null,
      identified_on date not null,
      response_recorded boolean not null,
      primary key (person_id, position)
    );
    create table referrals (
      person_id text not null references persons (person_id) on delete cascade,
      position smallint not null,
      business_area text not null references business_areas (code),
      referred_on date not null,
      primary key (person_id, position)
    );

    create table imports (
      id bigint generated always as identity primary key,
      file text not null,
      full_extract boolean not null,
      started_at timestamptz not null,
      finished_at timestamptz,
      status text not null check (status in ('RUNNING', 'COMPLETED', 'FAILED')),
      records_read int not null default 0,
      inserted int not null default 0,
      updated int not null default 0,
      unchanged int not null default 0,
      rejected int not null default 0,
      marked_absent int not null default 0,
      failure text
    );
    -- Which person IDs an import has seen, and on which line: finds a person ID
    -- twice in one file without holding every ID in memory, and tells a full
    -- import who is missing. Emptied when the import finishes.
    create unlogged table import_seen (
      import_id bigint not null,
      person_id text not null,
      line int not null,
      primary key (import_id, person_id)
    );
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table import_seen, imports, referrals, vulnerability_indicators, children, offences, barriers, persons
  `.execute(db)
}
