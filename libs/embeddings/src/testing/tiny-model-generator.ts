/*
 * A tiny, deterministic, BERT-shaped embedding model that @huggingface/transformers (v4) loads offline
 * from a local folder through the `feature-extraction` pipeline. Its weights are random (seeded): the
 * point is to exercise the real loading, tokenizing and inference path in tests and in the image smoke
 * test, not to produce meaningful embeddings. Mean-pooled vectors behave like a bag-of-words model
 * (texts sharing words get a higher cosine similarity).
 *
 * Writes into `outDir`: config.json, tokenizer.json, tokenizer_config.json, special_tokens_map.json,
 * onnx/model.onnx (loaded for dtype 'fp32') and onnx/model_quantized.onnx (dtype 'q8'; the same graph).
 *
 * Graph (opset 17, IR 8):
 *   h = (WordEmb[input_ids] + TypeEmb[token_type_ids] + PosEmb[0:seq]) * attention_mask[..., None]
 *   last_hidden_state = h   (float32 [batch, seq, dim])
 * Each token's vector depends only on its id, type and position, so right-padding a text inside a
 * batch does not change its mean-pooled embedding. Only dependency: onnx-proto.
 *
 * Command line (the image smoke test): npx tsx libs/embeddings/src/cli/make-tiny-model.ts <outDir> [--dim 32] ...
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';

const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

// A few hundred common English words (plus some domain words). Lower-case, unique.
const WORDS = `
the of and to a in is it you that he was for on are with as i his they be at one have this from
or had by hot word but what some we can out other were all there when up use your how said an each
she which do their time if will way about many then them write would like so these her long make
thing see him two has look more day could go come did number sound no most people my over know
water than call first who may down side been now find any new work part take get place made live
where after back little only round man year came show every good me give our under name very
through just form sentence great think say help low line differ turn cause much mean before move
right boy old too same tell does set three want air well also play small end put home read hand
port large spell add even land here must big high such follow act why ask men change went light
kind off need house picture try us again animal point mother world near build self earth father
head stand own page should country found answer school grow study still learn plant cover food sun
four between state keep eye never last let thought city tree cross farm hard start might story saw
far sea draw left late run while press close night real life few north open seem together next
white children begin got walk example ease paper group always music those both mark often letter
until mile river car feet care second book carry took science eat room friend began idea fish
mountain stop once base hear horse cut sure watch color face wood main enough plain girl usual
young ready above ever red list though feel talk bird soon body dog family direct pose leave song
measure door product black short numeral class wind question happen complete ship area half rock
order fire south problem piece told knew pass since top whole king space heard best hour better
true during hundred five remember step early hold west ground interest reach fast verb sing listen
six table travel less morning ten simple several vowel toward war lay against pattern slow center
love person money serve appear road map rain rule govern pull cold notice voice unit power town
fine certain fly fall lead cry dark machine note wait plan figure star box noun field rest correct
able pound done beauty drive stood contain front teach week final gave green oh quick develop ocean
warm free minute strong special mind behind clear tail produce fact street inch multiply nothing
course stay wheel full force blue object decide surface deep moon island foot system busy test
record boat common gold possible plane stead dry wonder laugh thousand ago ran check game shape
equate miss brought heat snow tire bring yes distant fill east paint language among
hello cat dogs cats memory memories search query document documents embedding embeddings vector
vectors model models token tokens text texts data database index file files code project user
users server client request response error value key store storage cache local remote fast slow
sentence sentences testing tested tests semantic similar similarity meaning recall context agent
`
  .trim()
  .split(/\s+/);

// prettier-ignore
const SUFFIXES = [
  's', 'es', 'ed', 'ing', 'er', 'ers', 'est', 'ly', 'tion', 'tions', 'ment', 'ments', 'ness',
  'able', 'ful', 'less', 'al', 'ize', 'ized', 'ity', 'ies', 'y', 'en', 'ion', 're', 'un',
];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz'.split('');
const DIGITS = '0123456789'.split('');
const PUNCT = [...'.,!?;:\'"-()[]{}/\\@#$%&*+=<>_`~|^'];

// mulberry32: small, fast, deterministic PRNG.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomTable(rand: () => number, rows: number, cols: number, scale: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = (rand() * 2 - 1) * scale;
  return out;
}

function buildVocab(): string[] {
  const vocab: string[] = [];
  const seen = new Set<string>();
  const push = (t: string) => {
    if (!seen.has(t)) {
      seen.add(t);
      vocab.push(t);
    }
  };
  SPECIAL_TOKENS.forEach(push);
  PUNCT.forEach(push);
  DIGITS.forEach(push);
  LETTERS.forEach(push);
  WORDS.forEach(push);
  SUFFIXES.forEach((s) => push(`##${s}`));
  // Single-char continuation pieces: any lower-case ASCII word/number can be tokenized without [UNK].
  LETTERS.forEach((c) => push(`##${c}`));
  DIGITS.forEach((c) => push(`##${c}`));
  return vocab;
}

function tokenizerJson(vocab: string[]) {
  const id: Record<string, number> = Object.fromEntries(vocab.map((t, i) => [t, i]));
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((t) => ({
      id: id[t],
      content: t,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [id['[CLS]']], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [id['[SEP]']], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: id,
    },
  };
}

function tokenizerConfigJson(modelType: TinyModelType, maxLength: number) {
  return {
    tokenizer_class: modelType === 'distilbert' ? 'DistilBertTokenizer' : 'BertTokenizer',
    do_lower_case: true,
    tokenize_chinese_chars: true,
    strip_accents: null,
    model_max_length: maxLength,
    padding_side: 'right',
    truncation_side: 'right',
    clean_up_tokenization_spaces: true,
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
  };
}

function configJson({ modelType, dim, maxLength, vocabSize }: ModelParams) {
  const heads = [4, 2, 1].find((h) => dim % h === 0);
  if (modelType === 'distilbert') {
    return {
      architectures: ['DistilBertModel'],
      model_type: 'distilbert',
      activation: 'gelu',
      dim,
      hidden_dim: dim * 4,
      n_layers: 1,
      n_heads: heads,
      dropout: 0.1,
      attention_dropout: 0.1,
      max_position_embeddings: maxLength,
      sinusoidal_pos_embds: false,
      initializer_range: 0.02,
      pad_token_id: 0,
      vocab_size: vocabSize,
      torch_dtype: 'float32',
      tiny_random_model: true,
    };
  }
  return {
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_size: dim,
    num_hidden_layers: 1,
    num_attention_heads: heads,
    intermediate_size: dim * 4,
    hidden_act: 'gelu',
    hidden_dropout_prob: 0.1,
    attention_probs_dropout_prob: 0.1,
    max_position_embeddings: maxLength,
    type_vocab_size: 2,
    initializer_range: 0.02,
    layer_norm_eps: 1e-12,
    position_embedding_type: 'absolute',
    pad_token_id: 0,
    vocab_size: vocabSize,
    torch_dtype: 'float32',
    tiny_random_model: true,
  };
}

const T = onnx.TensorProto.DataType;

function floatTensor(name: string, dims: number[], data: Float32Array): onnx.ITensorProto {
  return {
    name,
    dataType: T.FLOAT,
    dims,
    rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}

function int64Tensor(name: string, values: number[]): onnx.ITensorProto {
  const data = new BigInt64Array(values.map((v) => BigInt(v)));
  return {
    name,
    dataType: T.INT64,
    dims: [values.length],
    rawData: new Uint8Array(data.buffer),
  };
}

function valueInfo(name: string, elemType: number, dims: (string | number)[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  };
}

function node(opType: string, inputs: string[], outputs: string[], attribute: onnx.IAttributeProto[] = []): onnx.INodeProto {
  return { opType, input: inputs, output: outputs, name: `${opType}_${outputs[0]}`, attribute };
}

function intAttr(name: string, i: number): onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i };
}

function buildOnnx({ modelType, dim, maxLength, vocabSize, seed }: ModelParams): Uint8Array {
  const rand = mulberry32(seed);
  const wordEmb = randomTable(rand, vocabSize, dim, 1.0);
  const posEmb = randomTable(rand, maxLength, dim, 0.1);
  const typeEmb = randomTable(rand, 2, dim, 0.05);
  const withTypes = modelType === 'bert';

  const nodes = [
    node('Gather', ['word_embeddings', 'input_ids'], ['word_emb'], [intAttr('axis', 0)]),
    node('Shape', ['input_ids'], ['seq_len'], [intAttr('start', 1), intAttr('end', 2)]),
    node('Slice', ['position_embeddings', 'zero_1d', 'seq_len', 'zero_1d'], ['pos_emb']),
    node('Add', ['word_emb', 'pos_emb'], ['emb_wp']),
  ];
  let embName = 'emb_wp';
  if (withTypes) {
    nodes.push(
      node('Gather', ['token_type_embeddings', 'token_type_ids'], ['type_emb'], [intAttr('axis', 0)]),
      node('Add', ['emb_wp', 'type_emb'], ['emb_all']),
    );
    embName = 'emb_all';
  }
  nodes.push(
    node('Cast', ['attention_mask'], ['mask_f'], [intAttr('to', T.FLOAT)]),
    node('Unsqueeze', ['mask_f', 'minus_one_1d'], ['mask_3d']),
    node('Mul', [embName, 'mask_3d'], ['last_hidden_state']),
  );

  const initializer = [
    floatTensor('word_embeddings', [vocabSize, dim], wordEmb),
    floatTensor('position_embeddings', [maxLength, dim], posEmb),
    int64Tensor('zero_1d', [0]),
    int64Tensor('minus_one_1d', [-1]),
  ];
  if (withTypes) initializer.push(floatTensor('token_type_embeddings', [2, dim], typeEmb));

  const inputs = [
    valueInfo('input_ids', T.INT64, ['batch_size', 'sequence_length']),
    valueInfo('attention_mask', T.INT64, ['batch_size', 'sequence_length']),
  ];
  if (withTypes) inputs.push(valueInfo('token_type_ids', T.INT64, ['batch_size', 'sequence_length']));

  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'mnemolite-make-tiny-model',
    producerVersion: '1',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'tiny_embedding_model',
      node: nodes,
      initializer,
      input: inputs,
      output: [valueInfo('last_hidden_state', T.FLOAT, ['batch_size', 'sequence_length', dim])],
    },
  });
  const err = onnx.ModelProto.verify(model);
  if (err) throw new Error(`Invalid ONNX model: ${err}`);
  return onnx.ModelProto.encode(model).finish();
}

function writeJson(path: string, obj: unknown): void {
  writeFileSync(path, `${JSON.stringify(obj, null, 2)}\n`);
}

export type TinyModelType = 'bert' | 'distilbert';

export interface TinyModelOptions {
  /** Vector dimension (hidden size). */
  dim?: number;
  modelType?: TinyModelType;
  /** Longest input in tokens (position embeddings). */
  maxLength?: number;
  seed?: number;
}

interface ModelParams {
  modelType: TinyModelType;
  dim: number;
  maxLength: number;
  seed: number;
  vocabSize: number;
}

export interface TinyModelReport extends Omit<ModelParams, 'vocabSize'> {
  outDir: string;
  vocabSize: number;
  onnxBytes: number;
}

/** Writes the model folder; throws on options it cannot honour. */
export function writeTinyModel(outDir: string, options: TinyModelOptions = {}): TinyModelReport {
  const { dim = 32, modelType = 'bert', maxLength = 512, seed = 42 } = options;
  if (!Number.isInteger(dim) || dim < 1) throw new Error('--dim must be a positive integer');
  if (!Number.isInteger(maxLength) || maxLength < 2) throw new Error('--max-length must be an integer >= 2');
  if (!Number.isInteger(seed)) throw new Error('--seed must be an integer');
  if (modelType !== 'bert' && modelType !== 'distilbert') {
    throw new Error(`--model-type must be 'bert' or 'distilbert' (got '${String(modelType)}')`);
  }
  const vocab = buildVocab();
  const params: ModelParams = { modelType, dim, maxLength, seed, vocabSize: vocab.length };

  mkdirSync(join(outDir, 'onnx'), { recursive: true });
  const onnxBytes = buildOnnx(params);
  // fp32 -> onnx/model.onnx ; q8 -> onnx/model_quantized.onnx (transformers.js v4 suffix mapping).
  writeFileSync(join(outDir, 'onnx', 'model.onnx'), onnxBytes);
  writeFileSync(join(outDir, 'onnx', 'model_quantized.onnx'), onnxBytes);
  writeJson(join(outDir, 'config.json'), configJson(params));
  writeJson(join(outDir, 'tokenizer.json'), tokenizerJson(vocab));
  writeJson(join(outDir, 'tokenizer_config.json'), tokenizerConfigJson(modelType, maxLength));
  writeJson(join(outDir, 'special_tokens_map.json'), {
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
  });
  return { ...params, outDir, onnxBytes: onnxBytes.length };
}
