-- District boundaries for the console's map, imported by `weijian import map <geojson>` (the product ships none).
create table region_boundary (
  code text primary key references region(code),
  district_code text not null,
  geometry jsonb not null,             -- GeoJSON Polygon or MultiPolygon, WGS-84 / GCJ-02 as imported
  source text not null,
  imported_at timestamptz not null default now()
);
alter table region_boundary enable row level security;
create policy region_boundary_read on region_boundary for select using (true);
create policy region_boundary_write on region_boundary for all using (wj_scope_ok(district_code, null, null, null, null)) with check (wj_scope_ok(district_code, null, null, null, null));
