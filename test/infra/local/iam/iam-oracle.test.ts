import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { beforeAll, describe, expect, it } from 'vitest';
import { guardTableSpecs, orchestrationTableSpecs } from '#shared/tables/index.ts';
import { demoTableSpecs } from '#functions/demo-data/demo-tables.ts';
import { functionPolicies, LOCAL_ACCOUNT, LOCAL_DOCUMENTS_BUCKET, localTableArn } from '../../../../infra/local/iam/function-policies.ts';
import { evaluatePolicies, type PolicyStatement } from '../../../../infra/local/iam/policy-evaluator.ts';
import { synthesizeDemoStack } from '../../../../infra/local/demo-app.ts';

// @cloud-copilot/iam-simulate is AGPL-3.0: a devDependency used here as a test oracle only, never shipped.
const tableNames = Object.fromEntries(
  [...Object.values(guardTableSpecs), ...Object.values(demoTableSpecs), ...Object.values(orchestrationTableSpecs)].map((s) => [
    s.id,
    `local-${s.id}`,
  ]),
);
let policies: Map<string, PolicyStatement[]>;
beforeAll(() => {
  const { agent, stack, template } = synthesizeDemoStack();
  policies = functionPolicies(template, stack, agent, tableNames);
});

const oracle = async (statements: readonly PolicyStatement[], action: string, resource: string) => {
  const simulation: Simulation = {
    identityPolicies: [{ name: 'role', policy: { Version: '2012-10-17', Statement: statements as never } }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: {
      action,
      principal: `arn:aws:iam::${LOCAL_ACCOUNT.account}:role/fn`,
      resource: { resource, accountId: LOCAL_ACCOUNT.account },
      contextVariables: {},
    },
  };
  const answer = await runSimulation(simulation, {});
  // An action that does not apply to this kind of resource (GetRecords on a table, not a stream) is no request AWS would see.
  if (answer.resultType === 'error' && JSON.stringify(answer.errors).includes('no.resource.types')) return undefined;
  // Nor is one that supports no resource-level permission (SendTaskSuccess) on a resource: IAM asks for it on "*".
  if (answer.resultType === 'error' && JSON.stringify(answer.errors).includes('must.use.wildcard')) return undefined;
  if (answer.resultType === 'error')
    throw new Error(`oracle refused ${action} ${resource}: ${JSON.stringify(answer.errors).slice(0, 300)}`);
  return answer.overallResult;
};

/** Every action a policy names, on every resource it names, and on the resources of the other functions: the granted and the not granted. */
const requestsFor = (all: Map<string, PolicyStatement[]>) => {
  const resources = new Set<string>([
    ...Object.values(tableNames).map(localTableArn),
    `arn:aws:s3:::${LOCAL_DOCUMENTS_BUCKET}/documents/policies/leave-policy.md`,
    `arn:aws:ses:${LOCAL_ACCOUNT.region}:${LOCAL_ACCOUNT.account}:identity/agent@example.com`,
  ]);
  const actions = new Set<string>([
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:Query',
    'dynamodb:Scan',
    'dynamodb:DeleteItem',
    's3:GetObject',
    's3:DeleteObject',
    's3:PutObject',
    'ses:SendEmail',
    'states:StartExecution',
  ]);
  for (const statements of all.values()) {
    for (const st of statements) {
      for (const a of [st.Action ?? []].flat()) if (!a.includes('*')) actions.add(a);
      for (const r of [st.Resource ?? []].flat()) if (!r.includes('*') && r.startsWith('arn:')) resources.add(r);
    }
  }
  // The oracle checks that an action applies to the resource's type: pair each action with resources of its service.
  return [...actions].flatMap((action) =>
    [...resources].filter((r) => r.split(':')[2] === action.split(':')[0]).map((resource) => ({ action, resource })),
  );
};

describe('the local IAM evaluator agrees with iam-simulate', () => {
  it('on every policy the synthesized template holds, for granted and not granted requests alike', async () => {
    const requests = requestsFor(policies);
    expect(policies.size).toBe(13);
    expect(requests.length).toBeGreaterThan(50);
    let compared = 0;
    const allowed: string[] = [];
    for (const [fn, statements] of policies) {
      for (const { action, resource } of requests) {
        const expected = await oracle(statements, action, resource);
        if (expected === undefined) continue;
        const ours = evaluatePolicies(statements, { action, resource });
        expect(ours, `${fn}: ${action} on ${resource}`).toBe(expected);
        if (ours === 'Allowed') allowed.push(`${fn} ${action}`);
        compared++;
      }
    }
    // Both answers occur, so the comparison is not vacuous.
    expect(allowed.length).toBeGreaterThan(30);
    expect(allowed.length).toBeLessThan(compared);
  }, 120_000);
});
