/** One retrievable unit of a corpus: a speech, a paragraph of a file, or a BEIR document. */
export interface Passage {
  /** Unique in the corpus. */
  id: string;
  /** The speaker, the document's title or the file name ('' when none). */
  title: string;
  /** The passage's text. */
  text: string;
}

/** A loaded corpus: its passages, a content hash, and where it came from. */
export interface Corpus {
  /** A short name for logs and stats: `tinyshakespeare` or the folder given. */
  name: string;
  passages: Passage[];
  /** SHA-256 over every passage's id, title and text, in order (hex). */
  hash: string;
  /** Files skipped while reading, each with the reason. */
  skipped: { path: string; reason: string }[];
}
