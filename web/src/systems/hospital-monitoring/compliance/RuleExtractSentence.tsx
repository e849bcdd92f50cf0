import { Typography } from 'antd';

/** The source sentence with the part the extractor recognised highlighted. */
export function RuleExtractSentence({ sentence, match }: { sentence: string; match: { start: number; end: number } }) {
  const before = sentence.slice(0, match.start);
  const hit = sentence.slice(match.start, match.end);
  const after = sentence.slice(match.end);
  return (
    <Typography.Paragraph style={{ marginBottom: 0, fontSize: 15 }} data-testid="candidate-sentence">
      {before}
      {hit ? <mark style={{ background: '#ffe58f', padding: '0 2px' }}>{hit}</mark> : null}
      {after}
    </Typography.Paragraph>
  );
}
