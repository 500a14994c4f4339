/** The admission step a guard contributes to the pipeline's single round trip: middy's types, apart (see index.ts). */
export { admitAlone, type AdmissionStep, type GuardMiddleware, type GuardRequest } from './admission-step.ts';
