import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { AppError } from '../../../platform/http/errors.ts';
import { rb } from '../../../platform/rules/index.ts';
import { extractCandidates } from './rule-extract.ts';
import { llmConfigFromEnv, llmExtractor } from './rule-extract-llm.ts';
import { availableExtractors, extractFromDocument } from './rule-extract-routes.ts';

const { and, eq, gt, count, ref, lit } = rb;

/** A local OpenAI-compatible endpoint: records requests, answers what the current test sets. */
let server: Server;
let baseUrl: string;
let reply: { status: number; content: string };
const seen: { url: string; auth?: string; body: { model: string; messages: { role: string; content: string }[] } }[] = [];

const read = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let s = '';
    req.on('data', (c) => (s += c));
    req.on('end', () => resolve(s));
  });

before(async () => {
  server = createServer(async (req, res) => {
    seen.push({ url: req.url!, auth: req.headers.authorization, body: JSON.parse(await read(req)) });
    res.writeHead(reply.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: reply.content } }] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

const env = () => ({ WEIJIAN_LLM_BASE_URL: `${baseUrl}/`, WEIJIAN_LLM_API_KEY: 'sk-test', WEIJIAN_LLM_MODEL: 'qwen-test' });
const TEXT = '第一条 为规范收费制定本办法。\n第二条 CT检查同一患者每日不超过1次。\n第三条 床位费按日收取。';

test('configured by env; posts the sentences to /chat/completions; valid trees kept, invalid ones reduced to warnings, invented sentences dropped', async () => {
  assert.equal(llmConfigFromEnv({}), null);
  assert.deepEqual(
    availableExtractors({}).map((e) => e.name),
    ['builtin'],
  );
  assert.deepEqual(
    availableExtractors(env()).map((e) => e.name),
    ['builtin', 'llm'],
  );
  const isCt = eq(ref('item_code'), lit('X001'));
  const good = { source: 'fee_line', when: and(isCt, gt(count({ by: [ref('encounter.person_id'), ref('charged_on')], where: isCt }), 1)) };
  reply = {
    status: 200,
    content: JSON.stringify({
      candidates: [
        { sentence: 'CT检查同一患者每日不超过1次', title: 'CT每日超过1次', category: 'reasonable_fee', confidence: 0.8, rule: good },
        { sentence: '床位费按日收取', title: '床位费', category: 'reasonable_fee', rule: { source: 'fee_line', when: { kind: 'field', name: 'bed_days' } } },
        { sentence: '文件中没有的句子', title: '虚构', category: 'reasonable_fee', rule: good },
      ],
    }),
  };
  const cfg = llmConfigFromEnv(env())!;
  const { candidates } = await extractCandidates(llmExtractor(cfg), TEXT);
  const req = seen.at(-1)!;
  assert.equal(req.url, '/v1/chat/completions');
  assert.equal(req.auth, 'Bearer sk-test');
  assert.equal(req.body.model, 'qwen-test');
  assert.match(req.body.messages[0]!.content, /fee_line/);
  assert.match(req.body.messages[1]!.content, /CT检查同一患者每日不超过1次/);

  assert.equal(candidates.length, 2);
  const [ct, bed] = candidates;
  assert.equal(ct!.pattern, 'llm');
  assert.deepEqual(ct!.rule, good);
  assert.match(ct!.description!, /CT检查/);
  assert.equal(ct!.sentenceIndex, 1);
  assert.equal(ct!.sentence.slice(ct!.match.start, ct!.match.end), 'CT检查同一患者每日不超过1次');
  assert.equal(bed!.rule, null);
  assert.ok(bed!.warnings.some((w) => /未通过校验/.test(w)));
});

test('through the upload service: the same interface, chosen by name', async () => {
  reply = { status: 200, content: '```json\n{"candidates":[]}\n```' };
  const r = await extractFromDocument({ filename: 'a.txt', contentBase64: Buffer.from(TEXT).toString('base64'), extractor: 'llm' }, env());
  assert.equal(r.extractor.name, 'llm');
  assert.deepEqual(r.candidates, []);
});

test('an endpoint failure or a reply that is not JSON is a 502 with a zh-CN message, never a crash', async () => {
  const ex = llmExtractor(llmConfigFromEnv(env())!);
  reply = { status: 500, content: '' };
  await assert.rejects(extractCandidates(ex, TEXT), (e: AppError) => e.status === 502 && /HTTP 500/.test(e.message));
  reply = { status: 200, content: '抱歉，我无法回答' };
  await assert.rejects(extractCandidates(ex, TEXT), (e: AppError) => e.status === 502 && /JSON/.test(e.message));
  const down = llmExtractor({ baseUrl: 'http://127.0.0.1:1', model: 'x', timeoutMs: 2000 });
  await assert.rejects(extractCandidates(down, TEXT), (e: AppError) => e.status === 502 && /无法连接/.test(e.message));
});
