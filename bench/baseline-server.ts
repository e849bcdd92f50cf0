// The baseline: the same SQL statements the product runs for each request type, behind a minimal
// Fastify + pg endpoint with no sessions, scope, audit or validation — so the product's overhead
// can be stated as a ratio.
import { verify } from '@node-rs/argon2';
import Fastify from 'fastify';
import pg from 'pg';
import { loadKeyRing } from '../server/src/platform/crypto/keyring.ts';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.WEIJIAN_DB_POOL ?? 20) });
const keys = loadKeyRing({ file: `${process.env.WEIJIAN_DATA_DIR}/keys.json`, allowGenerate: false });
const app = Fastify();
const upper = (s: string) => [...s].slice(0, -1).join('') + String.fromCodePoint([...s].at(-1)!.codePointAt(0)! + 1);
const COLS = 'id, name, sex, birth_date, id_number_mask, phone_mask, residence_district, residence_street, status';

app.post('/login', async (req) => {
  const { username, password } = req.body as { username: string; password: string };
  const { rows } = await pool.query('select id, password_hash from app_user where username = $1', [username]);
  const ok = rows[0] && (await verify(rows[0].password_hash, password));
  if (ok)
    await pool.query(`insert into app_session (id, user_id, csrf_token, expires_at) values (md5(random()::text), $1, 'x', now() + interval '1 hour')`, [
      rows[0].id,
    ]);
  return { ok: Boolean(ok) };
});
app.get('/lookup', async (req) => {
  const { idNumber } = req.query as { idNumber: string };
  const { rows } = await pool.query(`select ${COLS} from person where id_type = 'resident_id' and id_number_bi = $1`, [
    keys.blindIndex(idNumber, 'person.id_number'),
  ]);
  return { items: rows };
});
app.get('/search', async (req) => {
  const { name, district } = req.query as { name: string; district: string };
  const [a, b] = await Promise.all([
    pool.query(`select ${COLS} from person where residence_district = $1 and name >= $2 and name < $3 order by length(name), name, id limit 20`, [
      district,
      name,
      upper(name),
    ]),
    pool.query('select count(*)::int as n from person where residence_district = $1 and name >= $2 and name < $3', [district, name, upper(name)]),
  ]);
  return { items: a.rows, total: b.rows[0].n };
});
app.post('/reveal/:id', async (req) => {
  const { rows } = await pool.query('select id_number_enc, phone_enc, address from person where id = $1', [(req.params as { id: string }).id]);
  return { idNumber: keys.decryptField(rows[0].id_number_enc), phone: rows[0].phone_enc ? keys.decryptField(rows[0].phone_enc) : null };
});
app.patch('/update/:id', async (req) => {
  const { phone } = req.body as { phone: string };
  await pool.query('update person set phone_enc = $2, phone_bi = $3, phone_mask = $4, version = version + 1, updated_at = now() where id = $1', [
    (req.params as { id: string }).id,
    keys.encryptField(phone),
    keys.blindIndex(phone, 'person.phone'),
    `${phone.slice(0, 3)}****${phone.slice(-4)}`,
  ]);
  return { ok: true };
});
app.get('/menu', async () => ({ systems: [] }));
app.get('/district-stats', async () => {
  const { rows } = await pool.query('select district_code as code, residents::int as residents from person_district_count');
  return { items: rows };
});

await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
process.stdout.write('baseline ready\n');
