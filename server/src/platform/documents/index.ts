/** Text of uploaded documents (PDF, DOCX, TXT) and a sentence splitter for Chinese text. */
export {
  decodeBase64File,
  decodeText,
  documentKind,
  type DocumentKind,
  type ExtractedText,
  extractText,
  MAX_DOCUMENT_BYTES,
  sanitizeText,
} from './extract-text.ts';
export { type Sentence, splitSentences } from './sentences.ts';
