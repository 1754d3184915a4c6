// Server-sent events, parsed from the text of a fetch() body as it arrives: the dashboard reads its stream
// with fetch rather than EventSource, which cannot send an Authorization header.
'use strict';

/**
 * A parser of server-sent events: the fields event and data (several data lines join with newlines);
 * comments, id and retry are skipped.
 *
 * @param dispatch called with (type, data) for each complete event
 * @param maxChars the most an event (or an unfinished line) may hold; beyond it the parser throws a RangeError
 * @return a function to call with each piece of text as it arrives
 */
const sseParser = (dispatch, maxChars) => {
  let pending = '';
  let type = '';
  let data = [];
  let size = 0;
  const line = (text) => {
    if (text === '') {
      if (data.length) {
        dispatch(type || 'message', data.join('\n'));
      }
      type = '';
      data = [];
      size = 0;
      return;
    }
    if (text.startsWith(':')) {
      return;
    }
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    if (field === 'event') {
      type = value;
    } else if (field === 'data') {
      data.push(value);
      size += value.length;
    }
  };
  return (chunk) => {
    pending += chunk;
    let end;
    while ((end = pending.search(/\r\n|\r|\n/)) >= 0) {
      const text = pending.slice(0, end);
      pending = pending.slice(end + (pending.startsWith('\r\n', end) ? 2 : 1));
      line(text);
    }
    if (pending.length + size > maxChars) {
      throw new RangeError('an event of over ' + maxChars + ' characters');
    }
  };
};
