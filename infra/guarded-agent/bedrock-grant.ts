import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { acknowledge } from '../nag-acknowledgements.ts';

/** Prefixes of the system-defined cross-Region inference profiles (`us.amazon.nova-lite-v1:0`). */
const PROFILE_PREFIX = /^(us|eu|apac|jp|au|ca|us-gov|global)\.(.+)$/;

/**
 * Lets a function converse with one Bedrock model (Converse needs `bedrock:InvokeModel`).
 *
 * - A foundation model id (`amazon.nova-lite-v1:0`): that model in the stack's region.
 * - A cross-Region inference profile id (`us.…`, `eu.…`, `global.…`): the profile in the stack's
 *   region, and the foundation model in whichever destination region Bedrock routes the request
 *   to, but only through that profile (the `bedrock:InferenceProfileArn` condition). A grant on
 *   the model id alone is denied for profiles.
 */
export const grantBedrockModel = (fn: IFunction, modelId: string): void => {
  const stack = Stack.of(fn);
  const profile = PROFILE_PREFIX.exec(modelId);
  if (!profile) {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['bedrock:InvokeModel'],
        resources: [stack.formatArn({ service: 'bedrock', account: '', resource: 'foundation-model', resourceName: modelId })],
      }),
    );
    return;
  }
  const profileArn = stack.formatArn({ service: 'bedrock', resource: 'inference-profile', resourceName: modelId });
  fn.addToRolePolicy(new PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: [profileArn] }));
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['bedrock:InvokeModel'],
      // Destination regions are Bedrock's to choose (every commercial region for global profiles,
      // whose model ARN also comes without a region).
      resources: [
        stack.formatArn({ service: 'bedrock', region: '*', account: '', resource: 'foundation-model', resourceName: profile[2] }),
        ...(profile[1] === 'global'
          ? [stack.formatArn({ service: 'bedrock', region: '', account: '', resource: 'foundation-model', resourceName: profile[2] })]
          : []),
      ],
      conditions: { StringEquals: { 'bedrock:InferenceProfileArn': profileArn } },
    }),
  );
  acknowledge(
    fn,
    'AwsSolutions-IAM5',
    'A cross-Region inference profile routes to the foundation model in a region Bedrock chooses; the grant names the model and holds only through the profile (bedrock:InferenceProfileArn condition).',
  );
};
