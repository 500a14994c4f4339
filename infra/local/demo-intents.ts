import type { ToolCallRequest } from '../../shared/model/index.ts';

/**
 * What the demo model reads in a request: plain patterns over the user's words, each turned into
 * one tool call with arguments copied out of the text. The words are data: they only ever become
 * arguments, which the tools' schemas then validate like any model's output.
 */
export type DemoCall = Omit<ToolCallRequest, 'id'>;

const ORDER_ID = /\bORD-\d+\b/gi;
const URL = /\bhttps?:\/\/[^\s"'<>)]+/gi;
const PATH = /(?:^|\s)((?:\.{0,2}\/)?(?:[\w.-]+\/)*[\w-]+\.(?:md|txt))\b/gi;
const EMAIL = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g;

const distinct = (values: Iterable<string>) => [...new Set(values)];
const matches = (text: string, pattern: RegExp, group = 0) => distinct([...text.matchAll(pattern)].map((m) => m[group] ?? ''));
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
/** The first sentence, as a one-line title. */
const titleOf = (text: string) => clip(text.split(/[.!?](?:\s|$)|\n/)[0]?.trim() || text.trim(), 120);
/** What follows "saying" or a colon, else the whole request: an email's or announcement's body. */
const bodyOf = (text: string) => (/(?:saying|:)\s*([\s\S]+)$/i.exec(text)?.[1] ?? text).trim();

/** The calls a request asks for, in the order a reader would do them. Empty: nothing but a question. */
export const callsAskedFor = (text: string): DemoCall[] => {
  const calls: DemoCall[] = [];
  // Keywords count in the words around ids, URLs, paths and addresses, not inside them (drafts-q4-announcement.md announces nothing).
  const words = [ORDER_ID, URL, PATH, EMAIL].reduce((rest, pattern) => rest.replaceAll(pattern, ' '), text);
  for (const orderId of matches(text, ORDER_ID)) calls.push({ name: 'lookup_order', arguments: { orderId: orderId.toUpperCase() } });
  // Trailing punctuation ends a sentence, not the URL.
  for (const url of matches(text, URL)) calls.push({ name: 'fetch_url', arguments: { url: url.replace(/[.,;:!?]+$/, '') } });
  const deleting = /\b(delete|remove)\b/i.test(words);
  for (const path of matches(text, PATH, 1)) calls.push({ name: deleting ? 'delete_document' : 'read_document', arguments: { path } });
  const emailing = /\b(e-?mail|mail)\b/i.test(words);
  for (const to of emailing ? matches(text, EMAIL) : [])
    calls.push({ name: 'send_email', arguments: { to, subject: titleOf(text), body: clip(bodyOf(text), 10_000) } });
  if (/\bticket\b/i.test(words)) {
    const priority = /\burgent\b/i.test(words) ? 'urgent' : /\b(high|asap)\b/i.test(words) ? 'high' : 'normal';
    calls.push({ name: 'create_ticket', arguments: { title: titleOf(text), description: clip(text.trim(), 4000), priority } });
  }
  if (/\b(announce|announcement|publish)\b/i.test(words))
    calls.push({ name: 'publish_announcement', arguments: { title: titleOf(bodyOf(text)), body: clip(bodyOf(text), 10_000) } });
  return calls;
};

/** An instruction to send mail planted in content the model read ("send an email to x@y"): the careless model obeys it. */
export const plantedEmail = (content: string): DemoCall | undefined => {
  const to = /\b(?:send|forward|e-?mail)\b[^.\n]{0,80}?\bto\s+([\w.+-]+@[\w-]+(?:\.[\w-]+)+)/i.exec(content)?.[1];
  return to
    ? { name: 'send_email', arguments: { to, subject: 'As requested', body: clip(content.replaceAll(/[^\S\n]+/g, ' '), 2000) } }
    : undefined;
};

/** A search query made of the request's words. */
export const queryOf = (text: string): string =>
  text
    .replaceAll(/[^\p{L}\p{N} ?.,-]/gu, ' ')
    .slice(0, 200)
    .trim() || 'help';
