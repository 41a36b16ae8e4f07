import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { MOBILENET_V2_SOURCE } from '../../../main/engine/encoders/mobilenet-v2';
import type { TrainResult } from '../../../main/engine/train';
import { validateTrainOptions } from '../../../main/engine/train/options';
import { cardFromRun } from '../../../main/models/from-run';

/** A finished run as the trainer returns it, with only what the card reads. */
function run(unet: Parameters<typeof validateTrainOptions>[0]['unet'], init?: string, initArchitecture?: string): TrainResult {
  const options = validateTrainOptions({
    data: '/data/busi', unet, init, initId: init, command: 'sonoseg train …',
    ...(initArchitecture ? { initImported: true, initArchitecture } : {}),
  });
  return {
    options,
    paths: { log: '/nonexistent/log.jsonl' },
    data: { train: [], val: [], test: [], splitSource: 'file', trainHash: 'h', added: [] },
    backend: { backend: 'wasm' },
    state: { epoch: 3, best: { epoch: 2 }, stopped: 'done', seconds: 12.4 },
    log: [],
  } as unknown as TrainResult;
}

test('the card names the architecture and, for a run from a pretrained encoder, the encoder weights as its base', () => {
  const plain = cardFromRun(run({ inputSize: 128, baseFilters: 16 }), 1000, null);
  assert.equal(plain.architecture.name, 'unet');
  assert.match(plain.id, /^unet16-128-/);
  assert.equal(plain.training?.baseModel, null);
  const mobile = cardFromRun(run({ inputSize: 160, encoder: 'mobilenetv2' }), 2000, null);
  assert.equal(mobile.architecture.name, 'mobilenetv2-unet');
  assert.match(mobile.id, /^mnv2unet-160-/);
  assert.equal(mobile.architecture.unet?.encoder, 'mobilenetv2');
  assert.equal(mobile.training?.baseModel, MOBILENET_V2_SOURCE);
  // starting from a whole model, that model is the base
  assert.equal(cardFromRun(run({ inputSize: 160, encoder: 'mobilenetv2' }, 'mnv2unet-160-x'), 2000, null).training?.baseModel, 'mnv2unet-160-x');
});

test('a run from a network it did not build (an ensemble, an imported model) keeps that network\'s name', () => {
  const card = cardFromRun(run({ inputSize: 192 }, 'ens2-192-f16-20261130-194931-3dca', 'ensemble of 2 (mobilenetv2-unet, mobilenetv2-unet)'), 4000, null);
  assert.equal(card.architecture.name, 'ensemble of 2 (mobilenetv2-unet, mobilenetv2-unet)');
  assert.equal(card.architecture.unet, null);
  assert.match(card.id, /^ens2-192-ft-\d{8}-\d{6}-[0-9a-f]{4}$/);
  assert.equal(card.training?.baseModel, 'ens2-192-f16-20261130-194931-3dca');
});
