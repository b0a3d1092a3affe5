/**
 * Splits a plain-text or Markdown file into passages of whole paragraphs, at most
 * `maxChars` characters each (a longer paragraph is cut at sentence or word ends).
 */

/**
 * Paragraph chunks of a text.
 * @param text - the file's text
 * @param maxChars - the most characters per chunk
 * @returns the chunks, trimmed, none empty
 * @example
 * splitParagraphs('a\n\nb', 1000); // ['a\n\nb']
 */
export function splitParagraphs(text: string, maxChars = 1200): string[] {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .flatMap((p) => cutLong(p, maxChars));
  const chunks: string[] = [];
  let current = '';
  for (const paragraph of paragraphs) {
    if (current !== '' && current.length + 2 + paragraph.length > maxChars) {
      chunks.push(current);
      current = '';
    }
    current = current === '' ? paragraph : `${current}\n\n${paragraph}`;
  }
  if (current !== '') chunks.push(current);
  return chunks;
}

function cutLong(paragraph: string, maxChars: number): string[] {
  const pieces: string[] = [];
  let rest = paragraph;
  while (rest.length > maxChars) {
    const window = rest.slice(0, maxChars);
    let cut = Math.max(
      window.lastIndexOf('. '),
      window.lastIndexOf('? '),
      window.lastIndexOf('! '),
    );
    if (cut < maxChars / 2) cut = window.lastIndexOf(' ');
    if (cut < maxChars / 4) cut = maxChars - 1;
    pieces.push(rest.slice(0, cut + 1).trim());
    rest = rest.slice(cut + 1).trim();
  }
  if (rest !== '') pieces.push(rest);
  return pieces;
}
