import { describe, expect, it } from 'vitest';
import { capRemoteResult } from '#shared/remote-mcp/remote-result.ts';

describe('capRemoteResult', () => {
  it('keeps a result that fits as it is, text blocks joined by a blank line', () => {
    expect(
      capRemoteResult(
        {
          content: [
            { type: 'text', text: 'one' },
            { type: 'text', text: 'two' },
          ],
          structuredContent: { n: 2 },
        },
        100,
      ),
    ).toEqual({ text: 'one\n\ntwo', structured: { n: 2 }, truncated: false, omittedBlocks: 0 });
  });

  it('cuts the text at the cap, in UTF-8 bytes, never inside a character', () => {
    const capped = capRemoteResult({ content: [{ type: 'text', text: 'ééééé' }] }, 5);
    expect(capped).toEqual({ text: 'éé', truncated: true, omittedBlocks: 0 });
    const emoji = capRemoteResult({ content: [{ type: 'text', text: 'a😀b' }] }, 3);
    expect(emoji.text).toBe('a');
  });

  it('keeps the structured result only whole, when it fits beside the text', () => {
    const result = { content: [{ type: 'text', text: 'x'.repeat(10) }], structuredContent: { long: 'y'.repeat(20) } };
    expect(capRemoteResult(result, 100)).toMatchObject({ structured: { long: 'y'.repeat(20) }, truncated: false });
    expect(capRemoteResult(result, 20)).toEqual({ text: 'x'.repeat(10), truncated: true, omittedBlocks: 0 });
  });

  it('leaves out what is not text and says how many', () => {
    const result = { content: [{ type: 'image' }, { type: 'text', text: 'caption' }, { type: 'resource_link' }] };
    expect(capRemoteResult(result, 100)).toEqual({ text: 'caption', truncated: false, omittedBlocks: 2 });
  });

  it('answers an empty result with empty text', () => {
    expect(capRemoteResult({}, 100)).toEqual({ text: '', truncated: false, omittedBlocks: 0 });
  });
});
