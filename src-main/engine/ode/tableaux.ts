/**
 * Butcher tableaux of the explicit Runge-Kutta methods, as plain data.
 *
 * A method with s stages advances z' = f(t, z) by one step h as
 *   k_i = f(t + c_i h, z + h sum_{j<i} a_ij k_j),   z_new = z + h sum_i b_i k_i.
 * Every solver in this folder is driven by the generic stepper in ./rungeKutta.ts, so adding a
 * method means adding its coefficients here.
 */
import type { ButcherTableau, FixedStepSolverName, SolverName } from './types';

/** Forward Euler: order 1, one stage. */
export const euler: ButcherTableau = {
  name: 'euler',
  order: 1,
  c: [0],
  a: [[]],
  b: [1],
};

/** Explicit midpoint rule: order 2, two stages. */
export const midpoint: ButcherTableau = {
  name: 'midpoint',
  order: 2,
  c: [0, 1 / 2],
  a: [[], [1 / 2]],
  b: [0, 1],
};

/** Classical fourth-order Runge-Kutta (the integrator of the reference NGF implementation). */
export const rk4: ButcherTableau = {
  name: 'rk4',
  order: 4,
  c: [0, 1 / 2, 1 / 2, 1],
  a: [[], [1 / 2], [0, 1 / 2], [0, 0, 1]],
  b: [1 / 6, 1 / 3, 1 / 3, 1 / 6],
};

/**
 * Dormand-Prince 5(4) (Dormand & Prince 1980; Hairer, Norsett & Wanner, Solving ODEs I, II.5).
 * Propagates the 5th-order solution; bError = b - b* against the embedded 4th-order weights. The last
 * row of a equals b, so the 7th stage is f at the new state (first same as last). `dense` is the
 * 4th-order continuous extension of Hairer's DOPRI5 code (contd5), expanded into polynomials in theta.
 */
export const dopri5: ButcherTableau = {
  name: 'dopri5',
  order: 5,
  c: [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1],
  a: [
    [],
    [1 / 5],
    [3 / 40, 9 / 40],
    [44 / 45, -56 / 15, 32 / 9],
    [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
    [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
    [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
  ],
  b: [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0],
  bError: [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40],
  dense: [
    [1, -8048581381 / 2820520608, 8663915743 / 2820520608, -12715105075 / 11282082432],
    [0, 0, 0, 0],
    [0, 131558114200 / 32700410799, -68118460800 / 10900136933, 87487479700 / 32700410799],
    [0, -1754552775 / 470086768, 14199869525 / 1410260304, -10690763975 / 1880347072],
    [0, 127303824393 / 49829197408, -318862633887 / 49829197408, 701980252875 / 199316789632],
    [0, -282668133 / 205662961, 2019193451 / 616988883, -1453857185 / 822651844],
    [0, 40617522 / 29380423, -110615467 / 29380423, 69997945 / 29380423],
  ],
};

export const FIXED_STEP_TABLEAUX: Readonly<Record<FixedStepSolverName, ButcherTableau>> = { euler, midpoint, rk4 };

export const SOLVER_NAMES: readonly SolverName[] = ['euler', 'midpoint', 'rk4', 'dopri5'];
