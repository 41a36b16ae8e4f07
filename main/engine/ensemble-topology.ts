import type * as tf from '@tensorflow/tfjs';
import { concatBytes } from '../common/bytes';
import { SonoError } from '../common/errors';
import type { WeightsArtifacts } from './half-weights';

/**
 * An ensemble in the tfjs LayersModel format itself: the members' graphs side by side behind one
 * shared input, their probability maps averaged by an Average layer. Layer and weight names get a
 * member prefix (m0_, m1_, …) so the graphs cannot collide; the weight bytes are the members' bytes,
 * concatenated, in whatever precision each member stores them. The result is one-image-in,
 * one-map-out like any model here, so every front door (viewer, segment, eval, calibrate) takes it
 * unchanged. Works on the files alone: no tensors are created.
 */
export interface ModelFiles extends WeightsArtifacts {
  /** model.json's modelTopology */
  topology: object;
}

type NodeRef = [string, number, number, ...unknown[]];
interface LayerJson {
  name: string;
  class_name: string;
  config: { name?: string; [key: string]: unknown };
  inbound_nodes: NodeRef[][];
}
interface GraphJson {
  name?: string;
  layers: LayerJson[];
  input_layers: NodeRef[];
  output_layers: NodeRef[];
}

export const ENSEMBLE_INPUT = 'image';
export const ENSEMBLE_OUTPUT = 'ensemble_mean';

export function ensembleFiles(members: ModelFiles[]): ModelFiles {
  if (members.length < 2) throw new SonoError('INVALID_ARGUMENT', 'an ensemble needs at least two models');
  const graphs = members.map((m, k) => graphOf(m.topology, k));
  const shapes = graphs.map((g) => JSON.stringify(inputLayer(g).config.batch_input_shape ?? null));
  if (new Set(shapes).size !== 1) throw new SonoError('INVALID_ARGUMENT', `the models take different inputs: ${shapes.join(' vs ')}`);

  const first = inputLayer(graphs[0]!);
  const layers: LayerJson[] = [{ ...first, name: ENSEMBLE_INPUT, config: { ...first.config, name: ENSEMBLE_INPUT } }];
  const outputs: NodeRef[] = [];
  graphs.forEach((g, k) => {
    const inputName = g.input_layers[0]![0];
    const rename = (name: string) => (name === inputName ? ENSEMBLE_INPUT : `m${k}_${name}`);
    for (const layer of g.layers) {
      if (layer.name === inputName) continue;
      layers.push({
        ...layer,
        name: rename(layer.name),
        config: { ...layer.config, name: rename(layer.name) },
        inbound_nodes: layer.inbound_nodes.map((node) => node.map((ref) => {
          if (!Array.isArray(ref) || typeof ref[0] !== 'string') throw new SonoError('MODEL_INVALID', `model ${k + 1}: an inbound node of ${layer.name} is not in the tfjs list format`);
          return [rename(ref[0]), ...ref.slice(1)] as NodeRef;
        })),
      });
    }
    const out = g.output_layers[0]!;
    outputs.push([rename(out[0]), out[1], out[2], {}]);
  });
  layers.push({ name: ENSEMBLE_OUTPUT, class_name: 'Average', config: { name: ENSEMBLE_OUTPUT, trainable: true }, inbound_nodes: [outputs] });

  const specs: tf.io.WeightsManifestEntry[] = [];
  members.forEach((m, k) => m.specs.forEach((s) => specs.push({ ...s, name: `m${k}_${s.name}` })));
  const data = concatBytes(members.map((m) => m.data));

  const base = members[0]!.topology as { keras_version?: string; backend?: string };
  const topology = {
    class_name: 'Model',
    config: { name: `ensemble_of_${members.length}`, layers, input_layers: [[ENSEMBLE_INPUT, 0, 0]], output_layers: [[ENSEMBLE_OUTPUT, 0, 0]] },
    keras_version: base.keras_version, backend: base.backend,
  };
  return { topology, specs, data };
}

/** The member's functional graph (a Keras-converted topology nests it under model_config). */
function graphOf(topology: object, k: number): GraphJson {
  const t = topology as { model_config?: { class_name?: string; config?: GraphJson }; class_name?: string; config?: GraphJson };
  const g = (t.model_config ?? t).config;
  if (!g || !Array.isArray(g.layers) || !Array.isArray(g.input_layers) || !Array.isArray(g.output_layers)) {
    throw new SonoError('MODEL_INVALID', `model ${k + 1} is not a functional tfjs LayersModel`);
  }
  if (g.input_layers.length !== 1 || g.output_layers.length !== 1) {
    throw new SonoError('MODEL_INVALID', `model ${k + 1} has ${g.input_layers.length} inputs and ${g.output_layers.length} outputs; an ensemble member has one of each`);
  }
  return g;
}

function inputLayer(g: GraphJson): LayerJson {
  const layer = g.layers.find((l) => l.name === g.input_layers[0]![0]);
  if (!layer || layer.class_name !== 'InputLayer') throw new SonoError('MODEL_INVALID', 'an ensemble member\'s input is not an InputLayer');
  return layer;
}
