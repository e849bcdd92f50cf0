/** Log paths that may carry personal data or secrets: never written to logs in clear. */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.idNumber',
  '*.id_number',
  '*.phone',
  '*.totpCode',
  '*.code',
  '*.secret',
];
