import type * as tf from '@tensorflow/tfjs';
import { loadMobileNetV2, MOBILENET_V2_SOURCE, MOBILENET_V2_WEIGHTS } from './mobilenet-v2';
import { loadMobileNetV2W140, MOBILENET_V2_140_SOURCE, MOBILENET_V2_140_WEIGHTS } from './mobilenet-v2-140';

export type EncoderName = 'mobilenetv2' | 'mobilenetv2-140';

interface Pretrained {
  /** the `weightsFrom` value that names these weights instead of a model folder */
  weights: string;
  /** where the weights come from, for a model card's base model */
  source: string;
  /** a model holding them under the encoder's layer names; the caller disposes it */
  load(): Promise<tf.LayersModel>;
}

/** The ImageNet weights each pretrained encoder starts from. */
export const PRETRAINED: Record<EncoderName, Pretrained> = {
  'mobilenetv2': { weights: MOBILENET_V2_WEIGHTS, source: MOBILENET_V2_SOURCE, load: loadMobileNetV2 },
  'mobilenetv2-140': { weights: MOBILENET_V2_140_WEIGHTS, source: MOBILENET_V2_140_SOURCE, load: async () => loadMobileNetV2W140() },
};

/** The pretrained weights a `weightsFrom` value names, if it names any. */
export function pretrainedNamed(weightsFrom: string): Pretrained | undefined {
  return Object.values(PRETRAINED).find((p) => p.weights === weightsFrom);
}
