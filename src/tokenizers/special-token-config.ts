/**
 * The special tokens of a tokenizer folder, set up as the slow classes set them up: named in
 * special_tokens_map.json (which wins, as in from_pretrained) or tokenizer_config.json, as a string
 * or an AddedToken object, else the class defaults; their ids come from the vocabulary.
 */
import { ConfigError } from '../errors.js';
import type { SpecialTokenIds } from './encode.js';
import { isJsonObject, JsonFields } from './json-file.js';
import type { SpecialToken } from './special-tokens.js';
import type { Family, TokenizerFolder } from './tokenizer-folder.js';
import type { TokenizerJson } from './tokenizer-json.js';

type SpecialName = 'unk' | 'sep' | 'pad' | 'cls' | 'mask';

const DEFAULTS: Readonly<Record<Family, Readonly<Record<SpecialName, string>>>> = {
  wordpiece: { unk: '[UNK]', sep: '[SEP]', pad: '[PAD]', cls: '[CLS]', mask: '[MASK]' },
  sentencepiece: { unk: '<unk>', sep: '[SEP]', pad: '<pad>', cls: '[CLS]', mask: '[MASK]' },
};

export interface ResolvedSpecialTokens {
  ids: SpecialTokenIds;
  unkToken: string;
  /** Every special token, named and additional: the literals the text is cut at. */
  all: SpecialToken[];
}

interface Declared {
  content: string;
  lstrip: boolean;
  rstrip: boolean;
  /** Given as a plain string rather than an AddedToken object. */
  plain: boolean;
}

export function resolveSpecialTokens(
  folder: TokenizerFolder,
  family: Family,
  tokenizerJson: TokenizerJson | null,
  idOf: (token: string) => number | undefined,
  vocabularyFile: string,
): ResolvedSpecialTokens {
  const sources = [folder.specialTokensMap, folder.settings].filter((f): f is JsonFields => f !== null);
  const declared = (key: string): Declared | undefined => {
    const holder = sources.find((f) => f.has(key));
    return holder === undefined ? undefined : parseDeclared(holder.raw(key), holder.file, key);
  };
  const withId = (token: Declared): SpecialToken => {
    const id = idOf(token.content);
    if (id === undefined) throw new ConfigError(vocabularyFile, `the special token ${token.content} is not in the vocabulary`);
    return { content: token.content, id, lstrip: token.lstrip, rstrip: token.rstrip };
  };

  const named = (name: SpecialName): SpecialToken => {
    const token = declared(`${name}_token`) ?? { content: DEFAULTS[family][name], lstrip: false, rstrip: false, plain: true };
    // AlbertTokenizer turns a plain-string mask token into one that eats the whitespace on its left.
    if (family === 'sentencepiece' && name === 'mask' && token.plain) token.lstrip = true;
    return withId(token);
  };
  const unk = named('unk');
  const sep = named('sep');
  const pad = named('pad');
  const cls = named('cls');
  const all = [unk, sep, pad, cls, named('mask')];
  const addOnce = (token: SpecialToken): void => {
    if (!all.some((t) => t.content === token.content)) all.push(token);
  };
  const additional = sources.find((f) => f.has('additional_special_tokens'));
  additional?.array('additional_special_tokens').forEach((value, i) => {
    addOnce(withId(parseDeclared(value, additional.file, `additional_special_tokens[${i}]`)));
  });
  for (const added of tokenizerJson?.addedTokens ?? []) if (added.special) addOnce(added);
  return { ids: { cls: cls.id, sep: sep.id, pad: pad.id, unk: unk.id }, unkToken: unk.content, all };
}

function parseDeclared(value: unknown, file: string, where: string): Declared {
  if (typeof value === 'string') return { content: value, lstrip: false, rstrip: false, plain: true };
  if (!isJsonObject(value)) throw new ConfigError(file, `${where} must be a string or an object with a content`);
  const token = new JsonFields(file, value, `${where}.`);
  const content = token.optionalString('content');
  if (content === undefined) throw new ConfigError(file, `${where}.content is missing`);
  return { content, lstrip: token.optionalBoolean('lstrip') ?? false, rstrip: token.optionalBoolean('rstrip') ?? false, plain: false };
}
