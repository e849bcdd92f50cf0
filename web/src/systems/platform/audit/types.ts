/** Tag colours of the event kinds (their labels come from the server: kindLabel, GET /audit/labels). */
export const KIND_COLORS: Record<string, string> = { write: 'blue', read: 'purple', auth: 'cyan', admin: 'orange' };
