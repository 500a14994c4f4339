import { boundedText } from 'guarded-agents';

/** The slack tools' argument types, each bounded as tool lint asks. */
/** A channel's name: anyone may name a channel, so names may be long and span lines. */
export const channel = (what = 'The channel') =>
  boundedText({ description: `${what}, by its name, such as general. Max 1000 characters.`, max: 1000, multiline: true });
export const user = (description = 'The user, by their name in the workspace, such as Alice. Max 100 characters.') =>
  boundedText({ description, max: 100 });
export const body = (description = 'The body of the message, as its readers will see it. Max 4000 characters.') =>
  boundedText({ description, max: 4000, multiline: true });
export const url = (description = 'The URL of the webpage, such as www.example.com. Max 300 characters.') =>
  boundedText({ description, max: 300 });

/** Why a tool whose name says "send" or "remove" is not `destructive` here. */
export const FLOW_KEEPS_IT =
  'Its sink arguments wait for a person when the run has read untrusted content (information flow), not on every call.';
