import { scoreRows, type Classifier, type TrainedModel, type TrainingSet } from './classifier.js';
import type { SparseMatrix } from './sparse.js';

export interface LogisticOptions {
  /** Inverse regularisation strength, as scikit-learn's `C` (ASReview's default: 1). */
  c: number;
  maxIterations: number;
  /** The cap when a previous model warm-starts the solver (it starts near the optimum). */
  maxWarmIterations: number;
  /** Stop when the largest entry of the gradient of the mean loss falls below this. */
  tolerance: number;
  /**
   * L-BFGS memory: how many past steps shape the search direction. Small, because with bigrams the
   * vectors are as long as the training rows' vocabulary and their updates dominate the time.
   */
  history: number;
  /** The loss: logistic (log-loss) or squared hinge (an L2-loss linear SVM, as liblinear's `LinearSVC`). */
  loss: 'logistic' | 'squared-hinge';
  /** Penalise the intercept like a weight (liblinear's synthetic bias feature) instead of leaving it free. */
  penaliseIntercept: boolean;
}

/**
 * At most 20 iterations from zero and 10 from a previous model: a ranking needs the order, not the
 * last digits of the optimum, and each retrain starts where the last one ended, so successive
 * retrains keep converging.
 */
export const defaultLogisticOptions: LogisticOptions = { c: 1, maxIterations: 20, maxWarmIterations: 10, tolerance: 1e-4, history: 4, loss: 'logistic', penaliseIntercept: false };

interface LogisticModel extends TrainedModel {
  readonly weights: Float64Array;
  readonly bias: number;
}

const isLogisticModel = (model: TrainedModel | undefined): model is LogisticModel => model !== undefined && 'weights' in model && 'bias' in model;

/** log(1 + e^−m), without overflow. */
const logistic = (margin: number): number => (margin > 0 ? Math.log1p(Math.exp(-margin)) : -margin + Math.log1p(Math.exp(margin)));

/**
 * L2-regularised logistic regression, `min ½‖w‖² + C Σ sᵢ log(1 + exp(−yᵢ (w·xᵢ + b)))` with sample
 * weights sᵢ (double balance's copies; the intercept is not penalised), solved with L-BFGS (Nocedal
 * 1980) and a backtracking Armijo line search. Only the features present in the training rows can
 * move away from 0, so the problem is solved in that compact space: early in a review it is small.
 * A previous model warm-starts the solver, which is what makes retraining after each decision cheap.
 */
export const createLogisticRegression = (options: Partial<LogisticOptions> = {}): Classifier => createLinearModel(options);

/**
 * ASReview 2's default classifier ("ELAS u4", `asreview/models/models.py`): scikit-learn's
 * `LinearSVC`, an L2-regularised linear SVM with the squared hinge loss, C = 0.11, and liblinear's
 * intercept (a feature of value 1, penalised like the weights). Solved by the same L-BFGS as
 * logistic regression: the squared hinge is differentiable. Used as a second reference in the
 * screening benchmark.
 */
export const createLinearSvm = (options: Partial<LogisticOptions> = {}): Classifier =>
  createLinearModel({ c: 0.11, loss: 'squared-hinge', penaliseIntercept: true, ...options });

const createLinearModel = (options: Partial<LogisticOptions>): Classifier => {
  const settings = { ...defaultLogisticOptions, ...options };
  return {
    name: settings.loss === 'logistic' ? 'logistic' : 'svm',
    train: (matrix: SparseMatrix, training: TrainingSet, previous?: TrainedModel): TrainedModel => {
      // The compact problem: training rows with weight, and the columns they use, in typed arrays.
      let rows = 0;
      let nonZeros = 0;
      for (let position = 0; position < training.rows.length; position += 1) {
        if ((training.weights[position] as number) !== 0) {
          const row = training.rows[position] as number;
          rows += 1;
          nonZeros += (matrix.rowStart[row + 1] as number) - (matrix.rowStart[row] as number);
        }
      }
      const compactOf = new Int32Array(matrix.columns).fill(-1);
      const original = new Int32Array(Math.min(nonZeros, matrix.columns));
      let compactCount = 0;
      const rowStart = new Int32Array(rows + 1);
      const column = new Int32Array(nonZeros);
      const value = new Float64Array(nonZeros);
      const target = new Float64Array(rows);
      const weight = new Float64Array(rows);
      let filled = 0;
      let compactRow = 0;
      for (let position = 0; position < training.rows.length; position += 1) {
        const rowWeight = training.weights[position] as number;
        if (rowWeight === 0) {
          continue;
        }
        const row = training.rows[position] as number;
        const end = matrix.rowStart[row + 1] as number;
        for (let entry = matrix.rowStart[row] as number; entry < end; entry += 1) {
          const feature = matrix.columnIndex[entry] as number;
          let compact = compactOf[feature] as number;
          if (compact < 0) {
            compact = compactCount;
            compactOf[feature] = compact;
            original[compactCount] = feature;
            compactCount += 1;
          }
          column[filled] = compact;
          value[filled] = matrix.values[entry] as number;
          filled += 1;
        }
        target[compactRow] = training.labels[position] === 1 ? 1 : -1;
        weight[compactRow] = rowWeight * settings.c;
        compactRow += 1;
        rowStart[compactRow] = filled;
      }
      const size = compactCount + 1;
      // Divided by the total weight: the same minimiser, and a gradient whose size does not grow with the training set.
      const scale = 1 / Math.max(weight.reduce((sum, entry) => sum + entry, 0), 1e-12);

      const theta = new Float64Array(size);
      const isWarm = isLogisticModel(previous) && previous.weights.length === matrix.columns;
      if (isLogisticModel(previous) && isWarm) {
        for (let compact = 0; compact < compactCount; compact += 1) {
          theta[compact] = previous.weights[original[compact] as number] as number;
        }
        theta[size - 1] = previous.bias;
      }

      const isHinge = settings.loss === 'squared-hinge';
      /** The objective at `point`; its gradient is written into `gradient`. */
      const evaluate = (point: Float64Array, gradient: Float64Array): number => {
        const bias = point[size - 1] as number;
        let objective = 0;
        gradient.fill(0);
        for (let compact = 0; compact < size - 1; compact += 1) {
          const entry = point[compact] as number;
          objective += 0.5 * entry * entry;
          gradient[compact] = entry;
        }
        let biasGradient = 0;
        for (let row = 0; row < rows; row += 1) {
          const start = rowStart[row] as number;
          const end = rowStart[row + 1] as number;
          let margin = bias;
          for (let entry = start; entry < end; entry += 1) {
            margin += (value[entry] as number) * (point[column[entry] as number] as number);
          }
          const sign = target[row] as number;
          const rowWeight = weight[row] as number;
          let slope: number;
          if (isHinge) {
            // max(0, 1 − y z)²; d/dz is −2 y max(0, 1 − y z).
            const shortfall = 1 - sign * margin;
            if (shortfall <= 0) {
              continue;
            }
            objective += rowWeight * shortfall * shortfall;
            slope = -2 * sign * rowWeight * shortfall;
          } else {
            objective += rowWeight * logistic(sign * margin);
            // d/dz of log(1 + e^(−y z)) is −y σ(−y z).
            slope = (-sign * rowWeight) / (1 + Math.exp(sign * margin));
          }
          for (let entry = start; entry < end; entry += 1) {
            const compact = column[entry] as number;
            gradient[compact] = (gradient[compact] as number) + slope * (value[entry] as number);
          }
          biasGradient += slope;
        }
        if (settings.penaliseIntercept) {
          objective += 0.5 * bias * bias;
          biasGradient += bias;
        }
        gradient[size - 1] = biasGradient;
        for (let index = 0; index < size; index += 1) {
          gradient[index] = (gradient[index] as number) * scale;
        }
        return objective * scale;
      };

      const largest = (vector: Float64Array): number => {
        let most = 0;
        for (let index = 0; index < vector.length; index += 1) {
          const entry = Math.abs(vector[index] as number);
          most = entry > most ? entry : most;
        }
        return most;
      };
      const dot = (left: Float64Array, right: Float64Array): number => {
        let sum = 0;
        for (let index = 0; index < left.length; index += 1) {
          sum += (left[index] as number) * (right[index] as number);
        }
        return sum;
      };

      let gradient = new Float64Array(size);
      let objective = evaluate(theta, gradient);
      const steps: Float64Array[] = [];
      const changes: Float64Array[] = [];
      const curvatures: number[] = [];
      const direction = new Float64Array(size);
      const candidate = new Float64Array(size);
      let candidateGradient = new Float64Array(size);
      const alphas = new Float64Array(settings.history);
      const iterations = isWarm ? settings.maxWarmIterations : settings.maxIterations;
      for (let iteration = 0; iteration < iterations && largest(gradient) > settings.tolerance; iteration += 1) {
        // Two-loop recursion: direction = −H·gradient.
        for (let index = 0; index < size; index += 1) {
          direction[index] = -(gradient[index] as number);
        }
        for (let memory = steps.length - 1; memory >= 0; memory -= 1) {
          const alpha = (dot(steps[memory] as Float64Array, direction) / (curvatures[memory] as number)) as number;
          alphas[memory] = alpha;
          const change = changes[memory] as Float64Array;
          for (let index = 0; index < size; index += 1) {
            direction[index] = (direction[index] as number) - alpha * (change[index] as number);
          }
        }
        if (steps.length > 0) {
          const last = steps.length - 1;
          const lastChange = changes[last] as Float64Array;
          const scale = (curvatures[last] as number) / dot(lastChange, lastChange);
          for (let index = 0; index < size; index += 1) {
            direction[index] = (direction[index] as number) * scale;
          }
        } else {
          const scale = 1 / Math.max(largest(gradient), 1);
          for (let index = 0; index < size; index += 1) {
            direction[index] = (direction[index] as number) * scale;
          }
        }
        for (let memory = 0; memory < steps.length; memory += 1) {
          const change = changes[memory] as Float64Array;
          const beta = dot(change, direction) / (curvatures[memory] as number);
          const step = steps[memory] as Float64Array;
          const alpha = alphas[memory] as number;
          for (let index = 0; index < size; index += 1) {
            direction[index] = (direction[index] as number) + (alpha - beta) * (step[index] as number);
          }
        }
        let slope = dot(gradient, direction);
        if (slope >= 0) {
          // Not a descent direction (curvature information gone stale): restart from steepest descent.
          steps.length = 0;
          changes.length = 0;
          curvatures.length = 0;
          for (let index = 0; index < size; index += 1) {
            direction[index] = -(gradient[index] as number);
          }
          slope = dot(gradient, direction);
        }
        let stepLength = 1;
        let next = objective;
        for (let attempt = 0; attempt < 30; attempt += 1) {
          for (let index = 0; index < size; index += 1) {
            candidate[index] = (theta[index] as number) + stepLength * (direction[index] as number);
          }
          next = evaluate(candidate, candidateGradient);
          if (next <= objective + 1e-4 * stepLength * slope) {
            break;
          }
          stepLength /= 2;
        }
        if (!(next < objective)) {
          break;
        }
        // Reuse the oldest pair's buffers once the memory is full.
        const isFull = steps.length >= settings.history;
        const step = isFull ? (steps.shift() as Float64Array) : new Float64Array(size);
        const change = isFull ? (changes.shift() as Float64Array) : new Float64Array(size);
        if (isFull) {
          curvatures.shift();
        }
        for (let index = 0; index < size; index += 1) {
          step[index] = (candidate[index] as number) - (theta[index] as number);
          change[index] = (candidateGradient[index] as number) - (gradient[index] as number);
        }
        const curvature = dot(step, change);
        if (curvature > 1e-12) {
          steps.push(step);
          changes.push(change);
          curvatures.push(curvature);
        }
        theta.set(candidate);
        const held = gradient;
        gradient = candidateGradient;
        candidateGradient = held;
        const improvement = objective - next;
        objective = next;
        if (improvement <= 1e-10 * Math.max(1, Math.abs(objective))) {
          break;
        }
      }

      const full = new Float64Array(matrix.columns);
      for (let compact = 0; compact < compactCount; compact += 1) {
        full[original[compact] as number] = theta[compact] as number;
      }
      const bias = theta[size - 1] as number;
      const model: LogisticModel = {
        weights: full,
        bias,
        score: (scored, scoredRows) =>
          scoreRows(scored, scoredRows, (row) => {
            let margin = bias;
            const end = scored.rowStart[row + 1] as number;
            for (let entry = scored.rowStart[row] as number; entry < end; entry += 1) {
              margin += (scored.values[entry] as number) * (full[scored.columnIndex[entry] as number] as number);
            }
            return margin;
          }),
      };
      return model;
    },
  };
};
