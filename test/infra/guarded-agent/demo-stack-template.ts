import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll } from 'vitest';
import { createTemplateApp } from '../../../infra/cdk-app.ts';
import { GuardedAgentsStack } from '../../../infra/guarded-agents-stack.ts';
import { attachNagPacks } from '../../../infra/nag-acknowledgements.ts';

/** A synthesized template's resources, by logical id. */
export type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

// Bundling is skipped here (npm run synth bundles for real in CI); the template is the same.
export const testApp = createTemplateApp;

/** The demo stack as `npm run synth` makes it, with cdk-nag's checks: the synth throws on a finding not acknowledged. */
export const synthDemoStack = (): { template: Template; resources: Resources } => {
  const app = testApp();
  const stack = new GuardedAgentsStack(app, 'Test', { senderEmail: 'agent@example.com' });
  attachNagPacks(app);
  app.synth();
  const template = Template.fromStack(stack);
  return { template, resources: template.toJSON().Resources as Resources };
};

/** The demo stack's template, synthesized once for the test file before its tests run. */
export const useDemoStack = (): { readonly template: Template; readonly resources: Resources } => {
  const demo = {} as { template: Template; resources: Resources };
  beforeAll(() => {
    Object.assign(demo, synthDemoStack());
  });
  return demo;
};

/** The resources of one CloudFormation type, with their logical ids. */
export const ofType = (resources: Resources, type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

/** Logical ids referenced anywhere inside a value (Ref and Fn::GetAtt). */
export const refsIn = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.Ref === 'string') return [o.Ref];
    if (Array.isArray(o['Fn::GetAtt'])) return [String(o['Fn::GetAtt'][0])];
    return Object.values(o).flatMap(refsIn);
  }
  return [];
};

/** The table a logical id names (`AgentTablesGuard1A2B3C4D` is `Guard`). */
export const tableIdOf = (logicalId: string) => /^AgentTables([A-Za-z]+?)[0-9A-F]{8}$/.exec(logicalId)?.[1];

/** For each tool function: its environment and every (actions, resource) its role may use. */
export const functionsByTool = (resources: Resources) =>
  new Map(
    ofType(resources, 'AWS::Lambda::Function')
      .filter(([, fn]) => String(fn.Properties.Description).startsWith('Tool '))
      .map(([, fn]) => {
        const tool = /Tool (\w+) /.exec(String(fn.Properties.Description))?.[1] as string;
        const role = refsIn(fn.Properties.Role)[0];
        const statements = ofType(resources, 'AWS::IAM::Policy')
          .filter(([, p]) => refsIn(p.Properties.Roles).includes(role as string))
          .flatMap(
            ([, p]) => (p.Properties.PolicyDocument as { Statement: Array<{ Action: string | string[]; Resource: unknown }> }).Statement,
          );
        return [tool, { fn, statements }] as const;
      }),
  );
