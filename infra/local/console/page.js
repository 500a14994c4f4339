// What every part of the console shares: the page's elements and the acting identity. Text from the
// API, which includes model output, is only ever set with textContent, never parsed as HTML.

export const $ = (selector) => document.querySelector(selector);
// runs: the current identity's listing (GET /runs: own runs, everyone's for an admin); started: the
// runs started from this page, with the token they were started with (a run is shown as its owner sees it).
export const state = { users: [], token: '', runs: [], started: new Map(), selected: '', timer: 0 };

export const currentUser = () => state.users.find((u) => u.token === state.token);

export const time = (iso) => (iso ? iso.slice(11, 19) : '');

/** A table cell's text with a class to style it by (a plain value is a cell with no class). */
export const styled = (text, className) => ({ text, className });

/** A status, styled by its value (`status-SUCCEEDED`, `status-denied`, ...). */
export const statusCell = (status) => styled(status, `status-${status}`);

/**
 * Replaces a table body's rows: one row an item, with the cells `cellsOf` gives it (a value, or
 * `styled`). `mark` sets what tests and tooltips find a row by: a data attribute, a title.
 */
export const fillRows = (body, items, cellsOf, mark) => {
  body.replaceChildren();
  for (const item of items) {
    const row = body.insertRow();
    mark?.(row, item);
    for (const value of cellsOf(item)) {
      const { text, className } = value !== null && typeof value === 'object' ? value : { text: value };
      const td = row.insertCell();
      td.textContent = text === null || text === undefined ? '' : String(text);
      if (className) td.className = className;
    }
  }
};
