import * as tf from '@tensorflow/tfjs';
import { SonoError } from '../common/errors';
import { modelInputSize } from './unet';

interface LayerJson { name: string; config: { batch_input_shape?: unknown; [key: string]: unknown } }
interface Topology { config: { layers: LayerJson[]; input_layers: [string, number, number][] } }

/**
 * The same network and weights taking a square input of another side: the layers of a U-Net
 * (convolutions, pooling, transposed convolutions, concatenation, the gate's global pooling) do not
 * depend on the input size, only the input layer's declared shape does. The copy's weights share the
 * model's data (tfjs counts the references), so it costs no weight memory; the caller disposes it. A model whose layers need the side it was built at (a Flatten before a
 * Dense, a fixed Reshape, a side the down-sampling cannot halve) is refused with a clear error.
 */
export async function modelAtInputSize(model: tf.LayersModel, size: number): Promise<tf.LayersModel> {
  const topology = model.toJSON(null, false) as unknown as Topology;
  const inputs = new Set(topology.config.input_layers.map((ref) => ref[0]));
  for (const layer of topology.config.layers) {
    if (inputs.has(layer.name)) layer.config.batch_input_shape = [null, size, size, 1];
  }
  let resized: tf.LayersModel;
  try {
    resized = await tf.models.modelFromJSON({ modelTopology: topology as unknown as tf.io.ModelJSON['modelTopology'] });
  } catch (e) {
    throw new SonoError('MODEL_INVALID', `this model cannot run at input size ${size}: ${(e as Error).message}`);
  }
  try {
    if (modelInputSize(resized) !== size) throw new SonoError('MODEL_INVALID', `this model cannot run at input size ${size}`);
    resized.setWeights(model.getWeights());
  } catch (e) {
    resized.dispose();
    throw e instanceof SonoError ? e : new SonoError('MODEL_INVALID', `this model cannot run at input size ${size}: ${(e as Error).message}`);
  }
  return resized;
}
