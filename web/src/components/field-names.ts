import { useEffect } from 'react';

/**
 * Fallback accessible names for form controls rendered without one. antd's Select, pickers and inputs
 * placed outside a labelled Form.Item (filters in a toolbar) show only a placeholder, which screen readers
 * do not announce as the field's name (axe: "Form elements must have labels"). Pages should pass
 * `aria-label` themselves; this names what they miss after the placeholder text the person sees.
 */
const CONTROLS = 'input:not([type=hidden]):not([type=file]):not([type=radio]):not([type=checkbox]), textarea';

function visibleHint(el: HTMLElement): string | null {
  const own = el.getAttribute('placeholder');
  if (own?.trim()) return own.trim();
  const select = el.closest('.ant-select');
  const shown = select?.querySelector('.ant-select-placeholder, .ant-select-selection-placeholder, .ant-select-content-value, .ant-select-selection-item');
  if (shown?.textContent?.trim()) return shown.textContent.trim();
  // A select with a value shows it in its content box (title = the chosen option's text).
  const content = select?.querySelector('.ant-select-content')?.getAttribute('title');
  if (content?.trim()) return content.trim();
  const picker = el.closest('.ant-picker');
  const first = picker?.querySelector('input[placeholder]')?.getAttribute('placeholder');
  return first?.trim() || null;
}

function hasName(el: HTMLElement): boolean {
  if (el.getAttribute('aria-label')?.trim() || el.getAttribute('aria-labelledby')) return true;
  if (el.closest('label')) return true;
  return !!(el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`));
}

function nameControls(root: ParentNode): void {
  for (const el of root.querySelectorAll<HTMLElement>(CONTROLS)) {
    // Dialogs and open dropdowns are left alone: their forms are labelled, and touching them while a
    // person (or a test) picks an option must not happen.
    if (el.closest('.ant-modal, .ant-drawer, .ant-select-dropdown, .ant-picker-dropdown')) continue;
    if (hasName(el)) continue;
    const hint = visibleHint(el);
    if (hint) el.setAttribute('aria-label', hint);
  }
  // Icon-only buttons: the tooltip title, if any, is their name.
  for (const b of root.querySelectorAll<HTMLElement>('button:not([aria-label])')) {
    if (b.textContent?.trim() || b.closest('.ant-modal, .ant-drawer')) continue;
    const title = b.getAttribute('title') ?? b.closest('[title]')?.getAttribute('title');
    if (title) b.setAttribute('aria-label', title);
  }
}

export function useFieldNames(): void {
  useEffect(() => {
    // At most every 400 ms, off the busy moments (opening a dropdown mutates the DOM many times).
    let timer: ReturnType<typeof setTimeout> | null = null;
    const run = () => {
      timer = null;
      nameControls(document.body);
    };
    const mo = new MutationObserver(() => {
      if (timer === null) timer = setTimeout(run, 400);
    });
    mo.observe(document.body, { childList: true, subtree: true });
    run();
    return () => {
      mo.disconnect();
      if (timer !== null) clearTimeout(timer);
    };
  }, []);
}
