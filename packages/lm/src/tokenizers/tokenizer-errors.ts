/**
 * The named tokenizer errors. Each is a `TokenizerError` (so an `LmError`)
 * with structured fields beside a message that names the offending value.
 */
import { TokenizerError } from '../errors.js';

/**
 * A tokenizer file that cannot be read: not JSON, a missing or mistyped
 * field, a merge whose parts are not in the vocabulary, two tokens with one id.
 * @example
 * tokenizerFromJSON('{"model": 3}')
 * // TokenizerFormatError: loadTokenizer: tokenizer.json: model must be an object, got 3
 */
export class TokenizerFormatError extends TokenizerError {
  /** The file at fault (`tokenizer.json`, `vocab.bpe`, ...). */
  readonly file: string;
  /** Where in it: a JSON path (`model.merges[12]`) or `line 7`. */
  readonly location: string;
  /**
   * @param op - the operation that failed
   * @param file - the file at fault
   * @param location - where in the file
   * @param message - what is wrong there
   * @param options - standard `ErrorOptions` (a `cause`)
   */
  constructor(op: string, file: string, location: string, message: string, options?: ErrorOptions) {
    super(op, `${file}: ${location ? `${location}: ` : ''}${message}`, options);
    this.name = 'TokenizerFormatError';
    this.file = file;
    this.location = location;
  }
}

/**
 * A tokenizer of a kind this package does not run (a `model.type` other
 * than `BPE`, such as `Unigram` or `WordPiece`).
 * @example
 * // UnsupportedTokenizerError: loadTokenizer: tokenizer.json model type 'Unigram' is not supported (supported: BPE)
 */
export class UnsupportedTokenizerError extends TokenizerError {
  /** The model type found. */
  readonly modelType: string;
  /** The model types that are supported. */
  readonly supported: readonly string[];
  /**
   * @param op - the operation that failed
   * @param modelType - the model type found
   * @param supported - the supported model types
   */
  constructor(op: string, modelType: string, supported: readonly string[]) {
    super(
      op,
      `tokenizer.json model type '${modelType}' is not supported (supported: ${supported.join(', ')})`,
    );
    this.name = 'UnsupportedTokenizerError';
    this.modelType = modelType;
    this.supported = supported;
  }
}

/**
 * An id given to `decode` that names no token: negative, not an integer, or
 * not below the vocabulary size.
 * @example
 * tokenizer.decode([5, 70000])
 * // TokenIdError: decode: id 70000 at position 1 is out of range (vocabulary size 50257)
 */
export class TokenIdError extends TokenizerError {
  /** The refused id. */
  readonly id: number;
  /** Its index in the ids given. */
  readonly position: number;
  /** The tokenizer's vocabulary size. */
  readonly vocabSize: number;
  /**
   * @param op - the operation that failed
   * @param id - the refused id
   * @param position - its index
   * @param vocabSize - the vocabulary size
   */
  constructor(op: string, id: number, position: number, vocabSize: number) {
    super(
      op,
      Number.isInteger(id) && id >= 0 && id < vocabSize
        ? `id ${id} at position ${position} has no token (a gap in the vocabulary)`
        : `id ${id} at position ${position} is out of range (vocabulary size ${vocabSize})`,
    );
    this.name = 'TokenIdError';
    this.id = id;
    this.position = position;
    this.vocabSize = vocabSize;
  }
}

/**
 * A character that a character-level tokenizer has no id for, under the
 * `'error'` unknown-character policy.
 * @example
 * CharTokenizer.fromCorpus('abc').encode('abz')
 * // UnknownCharacterError: encode: character "z" (U+007A) at position 2 is not in the vocabulary (3 characters)
 */
export class UnknownCharacterError extends TokenizerError {
  /** The character (one code point). */
  readonly character: string;
  /** Its index in the text, in UTF-16 code units (as `String.prototype.indexOf` counts). */
  readonly position: number;
  /**
   * @param op - the operation that failed
   * @param character - the character
   * @param position - its UTF-16 index in the text
   * @param vocabSize - the vocabulary size
   */
  constructor(op: string, character: string, position: number, vocabSize: number) {
    const codePoint = character.codePointAt(0)!;
    const hex = codePoint.toString(16).toUpperCase().padStart(4, '0');
    super(
      op,
      `character ${JSON.stringify(character)} (U+${hex}) at position ${position} is not in the vocabulary (${vocabSize} characters)`,
    );
    this.name = 'UnknownCharacterError';
    this.character = character;
    this.position = position;
  }
}
