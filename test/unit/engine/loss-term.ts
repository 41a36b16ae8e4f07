import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { LossSettings } from '../../../main/engine/loss';
import { ModelSession } from '../../../main/engine/model-session';
import { lesionBatch } from './lesion-batch';

/**
 * Checks, on a 16² depth-2 U-Net and lesionBatch(4), that ModelSession.gradients adds weight × term(targets, map)
 * to the loss when `settings(weight)` asks for it and leaves the loss alone at weight 0. Returns both steps'
 * results for further checks.
 */
export async function assertAddsLossTerm(
  settings: (weight: number) => LossSettings,
  term: (y: tf.Tensor, map: tf.Tensor) => tf.Scalar,
  weight = 0.5,
): Promise<{ plain: ReturnType<ModelSession['gradients']>; on: ReturnType<ModelSession['gradients']> }> {
  const session = new ModelSession();
  await session.build({ inputSize: 16, depth: 2, baseFilters: 4 }, 3);
  const b = lesionBatch(4);
  const plain = session.gradients(b);
  assert.equal(session.gradients(b, settings(0)).loss, plain.loss);
  const on = session.gradients(b, settings(weight));
  const model = (session as unknown as { model: tf.LayersModel }).model;
  const x = tf.tensor4d(b.x, [b.n, 16, 16, 1]), y = tf.tensor4d(b.y, [b.n, 16, 16, 1]);
  const added = term(y, model.predict(x) as tf.Tensor).dataSync()[0]!;
  assert.ok(Math.abs(on.loss - (plain.loss + weight * added)) < 1e-5, `${on.loss} vs ${plain.loss} + ${weight} × ${added}`);
  session.dispose();
  return { plain, on };
}
