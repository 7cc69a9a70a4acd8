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

/** The training rows in the compact feature space: row `r` holds `column`/`value` in `[rowStart[r], rowStart[r + 1])`. */
interface CompactProblem {
  readonly rows: number;
  readonly rowStart: Int32Array;
  readonly column: Int32Array;
  /**
   * Single precision: the two passes over the non-zeros per iteration are bound by memory, and TF-IDF
   * weights need no more than 7 digits; every sum is still taken in double precision.
   */
  readonly value: Float32Array;
  /** +1 for an inclusion, −1 for an exclusion. */
  readonly target: Float64Array;
  /** Each row's sample weight times C. */
  readonly weight: Float64Array;
}

/** One remembered L-BFGS pair: the step `s`, the change in gradient `y`, `s·y` and `y·y`. */
interface Curvature {
  readonly step: Float64Array;
  readonly change: Float64Array;
  stepDotChange: number;
  changeDotChange: number;
}

/** The line search's terms along `direction`: its slope `g·d`, and `θ·d`, `d·d` over the penalised entries. */
const lineTerms = (direction: Float64Array, gradient: Float64Array, theta: Float64Array, penalised: number) => {
  let slope = 0;
  let thetaDotDirection = 0;
  let directionDotDirection = 0;
  for (let index = 0; index < penalised; index += 1) {
    const entry = direction[index] as number;
    slope += (gradient[index] as number) * entry;
    thetaDotDirection += (theta[index] as number) * entry;
    directionDotDirection += entry * entry;
  }
  for (let index = penalised; index < direction.length; index += 1) {
    slope += (gradient[index] as number) * (direction[index] as number);
  }
  return { slope, thetaDotDirection, directionDotDirection };
};

/**
 * Minimises `½‖θ‖² + Σ wᵢ loss(yᵢ zᵢ)`, `zᵢ = θ_b + xᵢ·θ`, divided by Σ wᵢ (the same minimiser, and a
 * gradient whose size does not grow with the training set), over `theta` in place: the compact
 * weights, then the intercept in the last entry (in the penalty only with `penaliseIntercept`).
 *
 * L-BFGS (Nocedal 1980) with a backtracking Armijo line search, arranged for a sparse design whose
 * vectors are as long as the training rows' vocabulary:
 * - the line search runs on the margins: with `z` and `Xd` (the margins' change along the direction)
 *   kept per row, and `θ·θ`, `θ·d`, `d·d` for the penalty, trying a step costs one pass over the rows,
 *   not over the non-zeros, and the gradient is computed once per iteration, at the accepted point;
 * - the two-loop recursion's dot products and updates share passes (each pass updates the direction
 *   and accumulates the dot product the next one needs), so an iteration reads the long vectors
 *   about a dozen times rather than thirty.
 */
const minimise = (problem: CompactProblem, theta: Float64Array, settings: LogisticOptions, iterations: number): void => {
  const { rows, rowStart, column, value, target, weight } = problem;
  const size = theta.length;
  const bias = size - 1;
  // Entries [0, penalised) are in the penalty: the weights, and the intercept too when it is penalised.
  const penalised = settings.penaliseIntercept ? size : size - 1;
  const isHinge = settings.loss === 'squared-hinge';
  let totalWeight = 0;
  for (let row = 0; row < rows; row += 1) {
    totalWeight += weight[row] as number;
  }
  const scale = 1 / Math.max(totalWeight, 1e-12);

  const margins = new Float64Array(rows);
  const along = new Float64Array(rows);
  const slopes = new Float64Array(rows);

  /** `out[r] = v_b + x_r·v` for every training row. */
  const multiply = (vector: Float64Array, out: Float64Array): void => {
    for (let row = 0; row < rows; row += 1) {
      let sum = vector[bias] as number;
      const end = rowStart[row + 1] as number;
      for (let entry = rowStart[row] as number; entry < end; entry += 1) {
        sum += (value[entry] as number) * (vector[column[entry] as number] as number);
      }
      out[row] = sum;
    }
  };
  /** Σ wᵢ loss(yᵢ (zᵢ + t·(Xd)ᵢ)), unscaled. */
  const lossAt = (stepLength: number): number => {
    let sum = 0;
    for (let row = 0; row < rows; row += 1) {
      const signed = (target[row] as number) * ((margins[row] as number) + stepLength * (along[row] as number));
      if (isHinge) {
        const shortfall = 1 - signed;
        sum += shortfall > 0 ? (weight[row] as number) * shortfall * shortfall : 0;
      } else {
        sum += (weight[row] as number) * logistic(signed);
      }
    }
    return sum;
  };
  /**
   * Adds `Xᵀ·(d loss / d z)` (unscaled) to `gradient`, whose entries already hold the penalty's part;
   * the intercept's entry gets the sum of the slopes.
   */
  const addLossGradient = (gradient: Float64Array): void => {
    let biasSlope = 0;
    for (let row = 0; row < rows; row += 1) {
      const sign = target[row] as number;
      const margin = margins[row] as number;
      let slope: number;
      if (isHinge) {
        // max(0, 1 − y z)²; d/dz is −2 y max(0, 1 − y z).
        const shortfall = 1 - sign * margin;
        slope = shortfall > 0 ? -2 * sign * (weight[row] as number) * shortfall : 0;
      } else {
        // d/dz of log(1 + e^(−y z)) is −y σ(−y z).
        slope = (-sign * (weight[row] as number)) / (1 + Math.exp(sign * margin));
      }
      slopes[row] = slope;
      biasSlope += slope;
    }
    for (let row = 0; row < rows; row += 1) {
      const slope = slopes[row] as number;
      if (slope === 0) {
        continue;
      }
      const end = rowStart[row + 1] as number;
      for (let entry = rowStart[row] as number; entry < end; entry += 1) {
        const compact = column[entry] as number;
        gradient[compact] = (gradient[compact] as number) + slope * (value[entry] as number);
      }
    }
    gradient[bias] = (gradient[bias] as number) + biasSlope;
  };

  // The starting point: margins, objective, gradient.
  multiply(theta, margins);
  let thetaDotTheta = 0;
  let gradient = new Float64Array(size);
  for (let index = 0; index < penalised; index += 1) {
    const entry = theta[index] as number;
    thetaDotTheta += entry * entry;
    gradient[index] = entry;
  }
  addLossGradient(gradient);
  let largest = 0;
  for (let index = 0; index < size; index += 1) {
    const entry = (gradient[index] as number) * scale;
    gradient[index] = entry;
    largest = Math.max(largest, Math.abs(entry));
  }
  let objective = (0.5 * thetaDotTheta + lossAt(0)) * scale;

  const memory: Curvature[] = [];
  const alphas = new Float64Array(settings.history);
  const direction = new Float64Array(size);
  let nextGradient = new Float64Array(size);
  for (let iteration = 0; iteration < iterations && largest > settings.tolerance; iteration += 1) {
    // Two-loop recursion, direction = −H·gradient, with each pass also taking the next pass's dot product.
    const last = memory.length - 1;
    let pending = 0;
    if (last < 0) {
      const start = -1 / Math.max(largest, 1);
      for (let index = 0; index < size; index += 1) {
        direction[index] = start * (gradient[index] as number);
      }
    } else {
      const newest = (memory[last] as Curvature).step;
      for (let index = 0; index < size; index += 1) {
        const entry = -(gradient[index] as number);
        direction[index] = entry;
        pending += (newest[index] as number) * entry;
      }
      for (let pair = last; pair >= 0; pair -= 1) {
        const { change, stepDotChange } = memory[pair] as Curvature;
        const alpha = pending / stepDotChange;
        alphas[pair] = alpha;
        // The next pass needs the older pair's step; after the oldest, the first pair's change (for β below).
        const following = pair > 0 ? (memory[pair - 1] as Curvature).step : (memory[0] as Curvature).change;
        pending = 0;
        for (let index = 0; index < size; index += 1) {
          const entry = (direction[index] as number) - alpha * (change[index] as number);
          direction[index] = entry;
          pending += (following[index] as number) * entry;
        }
      }
    }
    // The second loop scales by γ = s·y / y·y of the newest pair in its first pass.
    if (last >= 0) {
      const newest = memory[last] as Curvature;
      const gamma = newest.stepDotChange / newest.changeDotChange;
      pending *= gamma;
      for (let pair = 0; pair <= last; pair += 1) {
        const { step, stepDotChange } = memory[pair] as Curvature;
        const factor = (alphas[pair] as number) - pending / stepDotChange;
        const multiplier = pair === 0 ? gamma : 1;
        pending = 0;
        if (pair < last) {
          const following = (memory[pair + 1] as Curvature).change;
          for (let index = 0; index < size; index += 1) {
            const entry = multiplier * (direction[index] as number) + factor * (step[index] as number);
            direction[index] = entry;
            pending += (following[index] as number) * entry;
          }
        } else {
          for (let index = 0; index < size; index += 1) {
            direction[index] = multiplier * (direction[index] as number) + factor * (step[index] as number);
          }
        }
      }
    }
    let line = lineTerms(direction, gradient, theta, penalised);
    if (line.slope >= 0) {
      // Not a descent direction (curvature information gone stale): restart from steepest descent.
      memory.length = 0;
      for (let index = 0; index < size; index += 1) {
        direction[index] = -(gradient[index] as number);
      }
      line = lineTerms(direction, gradient, theta, penalised);
    }
    const { slope, thetaDotDirection, directionDotDirection } = line;

    // Backtracking on the margins: z + t·Xd.
    multiply(direction, along);
    let stepLength = 1;
    let next = objective;
    for (let attempt = 0; attempt < 30; attempt += 1) {
      const penalty = thetaDotTheta + stepLength * (2 * thetaDotDirection + stepLength * directionDotDirection);
      next = (0.5 * penalty + lossAt(stepLength)) * scale;
      if (next <= objective + 1e-4 * stepLength * slope) {
        break;
      }
      stepLength /= 2;
    }
    if (!(next < objective)) {
      break;
    }

    // Accept: θ += t·d (the step kept for the memory), margins likewise; the new gradient; the new pair.
    const isFull = memory.length >= settings.history;
    const recycled = isFull ? (memory.shift() as Curvature) : undefined;
    const step = recycled ? recycled.step : new Float64Array(size);
    const change = recycled ? recycled.change : new Float64Array(size);
    thetaDotTheta = 0;
    for (let index = 0; index < size; index += 1) {
      const moved = stepLength * (direction[index] as number);
      step[index] = moved;
      const entry = (theta[index] as number) + moved;
      theta[index] = entry;
      nextGradient[index] = entry;
      thetaDotTheta += entry * entry;
    }
    if (penalised < size) {
      // The free intercept: not in the penalty, and its gradient is the loss's alone.
      const intercept = theta[bias] as number;
      thetaDotTheta -= intercept * intercept;
      nextGradient[bias] = 0;
    }
    for (let row = 0; row < rows; row += 1) {
      margins[row] = (margins[row] as number) + stepLength * (along[row] as number);
    }
    addLossGradient(nextGradient);
    let stepDotChange = 0;
    let changeDotChange = 0;
    largest = 0;
    for (let index = 0; index < size; index += 1) {
      const entry = (nextGradient[index] as number) * scale;
      nextGradient[index] = entry;
      largest = Math.max(largest, Math.abs(entry));
      const difference = entry - (gradient[index] as number);
      change[index] = difference;
      stepDotChange += (step[index] as number) * difference;
      changeDotChange += difference * difference;
    }
    if (stepDotChange > 1e-12) {
      memory.push({ step, change, stepDotChange, changeDotChange });
    }
    const held = gradient;
    gradient = nextGradient;
    nextGradient = held;
    const improvement = objective - next;
    objective = next;
    if (improvement <= 1e-10 * Math.max(1, Math.abs(objective))) {
      break;
    }
  }
};

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
      const value = new Float32Array(nonZeros);
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
      const theta = new Float64Array(size);
      const isWarm = isLogisticModel(previous) && previous.weights.length === matrix.columns;
      if (isLogisticModel(previous) && isWarm) {
        for (let compact = 0; compact < compactCount; compact += 1) {
          theta[compact] = previous.weights[original[compact] as number] as number;
        }
        theta[size - 1] = previous.bias;
      }
      minimise({ rows, rowStart, column, value, target, weight }, theta, settings, isWarm ? settings.maxWarmIterations : settings.maxIterations);

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
