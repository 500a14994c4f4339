/**
 * The state machine definition exactly as CDK synthesized it, with the CloudFormation references
 * inside it (function ARNs, partition, region) replaced by local stand-ins. This is how the tests
 * (and local mode) run the very definition that gets deployed, not a second copy of it.
 */
export interface Asl {
  readonly StartAt: string;
  readonly States: Record<string, Record<string, unknown>>;
  readonly [key: string]: unknown;
}

type TemplateResources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

const resolvePart = (part: unknown): string => {
  if (typeof part === 'string') return part;
  const ref = (part as { Ref?: string }).Ref;
  if (ref === 'AWS::Partition') return 'aws';
  if (ref === 'AWS::Region') return 'us-east-1';
  if (ref === 'AWS::AccountId') return '000000000000';
  if (ref === 'AWS::URLSuffix') return 'amazonaws.com';
  if (ref) return ref;
  const getAtt = (part as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
  if (getAtt) return `arn:aws:lambda:us-east-1:000000000000:function:${getAtt[0]}`;
  throw new Error(`Unexpected reference in the state machine definition: ${JSON.stringify(part)}`);
};

/** The definition of the template's (only, or named) state machine, resolved to plain ASL. */
export const definitionFromTemplate = (resources: TemplateResources, logicalId?: string): Asl => {
  const machines = Object.entries(resources).filter(
    ([id, r]) => r.Type === 'AWS::StepFunctions::StateMachine' && (!logicalId || id === logicalId),
  );
  if (machines.length !== 1) throw new Error(`Expected one state machine, found ${machines.length}`);
  const body = (machines[0] as [string, { Properties: Record<string, unknown> }])[1].Properties.DefinitionString;
  const text = typeof body === 'string' ? body : (body as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].map(resolvePart).join('');
  return JSON.parse(text) as Asl;
};
