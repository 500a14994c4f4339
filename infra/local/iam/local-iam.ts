import { isMissingObject } from '../../../shared/aws/index.ts';
import { dynamoDbRequests, type IamRequest, type RequestsOf } from './aws-requests.ts';
import { Decision, evaluatePolicies, type PolicyStatement } from './policy-evaluator.ts';
import { LOCAL_ACCOUNT } from './function-policies.ts';

/** An AWS SDK v3 client: its middleware stack is where a request can be checked before it leaves. */
export interface SdkClient {
  readonly middlewareStack: {
    /** Adds a step to the client's middleware stack. */
    add(
      middleware: (
        next: (args: { input: object }) => Promise<unknown>,
        context: { commandName?: string },
      ) => (args: { input: object }) => Promise<unknown>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}

/** The error AWS answers a request with when no identity policy allows it, in the SDK's shape. */
export const accessDenied = (functionName: string, action: string, resource: string): Error => {
  // S3 answers 403 with the code AccessDenied; the JSON services (DynamoDB, SES v2, ...) AccessDeniedException.
  const s3 = action.startsWith('s3:');
  return Object.assign(
    new Error(
      `User: arn:aws:sts::${LOCAL_ACCOUNT.account}:assumed-role/${functionName}-role/${functionName} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
    ),
    {
      name: s3 ? 'AccessDenied' : 'AccessDeniedException',
      $fault: 'client',
      $metadata: { httpStatusCode: s3 ? 403 : 400 },
    },
  );
};

/**
 * One AWS call a function made locally, as its role was checked for it: the function, the action,
 * the resource.
 */
export interface IamRecord {
  readonly functionName: string;
  readonly action: string;
  readonly resource: string;
}

/**
 * The local system's IAM: every AWS call a function makes locally is authorized against that
 * function's role policies from the synthesized template before it reaches the embedded service.
 * A call AWS would deny is denied here with AWS's AccessDeniedException. Also keeps what was
 * asked (for the least-privilege report) and what was denied.
 */
export const createLocalIam = (policies: ReadonlyMap<string, readonly PolicyStatement[]>) => {
  const used = new Map<string, Set<string>>();
  const denials: IamRecord[] = [];
  const allows = (functionName: string, action: string, resource: string, context?: IamRequest['context']): boolean => {
    const statements = policies.get(functionName);
    return (
      (statements ? evaluatePolicies(statements, { action, resource, ...(context ? { context } : {}) }) : Decision.IMPLICITLY_DENIED) ===
      Decision.ALLOWED
    );
  };
  const check = (functionName: string, action: string, resource: string, context?: IamRequest['context']): void => {
    if (!allows(functionName, action, resource, context)) {
      denials.push({ functionName, action, resource });
      throw accessDenied(functionName, action, resource);
    }
    const seen = used.get(functionName) ?? new Set<string>();
    seen.add(`${action} ${resource}`);
    used.set(functionName, seen);
  };
  return {
    policies,
    /** Authorizes one `action resource` pair for a function, as IAM would; throws AccessDeniedException otherwise. */
    check,
    /**
     * Authorizes every command the client sends as `functionName` (its role), before it leaves:
     * `requestsOf` says what IAM is asked for each command of the client's service (DynamoDB by
     * default; `s3Requests`, `sesRequests`).
     */
    guardClient: <C extends SdkClient>(client: C, functionName: string, requestsOf: RequestsOf = dynamoDbRequests): C => {
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const requests: IamRequest[] = requestsOf(String(context.commandName ?? ''), args.input as Record<string, unknown>);
          for (const { action, resource, context: keys } of requests) check(functionName, action, resource, keys);
          try {
            return await next(args);
          } catch (error) {
            // S3 says "no such key" only to a caller that may list the bucket; to others it answers
            // 403, so that a missing key cannot be told from a forbidden one.
            const bucket = requests.find((r) => r.ifMissing)?.ifMissing;
            if (bucket && isMissingObject(error)) check(functionName, 's3:ListBucket', bucket);
            throw error;
          }
        },
        { step: 'initialize', name: 'localIamAuthorization' },
      );
      return client;
    },
    /** Each function's `action resource` pairs that were allowed, so far. */
    used: (): ReadonlyMap<string, ReadonlySet<string>> => used,
    /** The calls denied so far. */
    denials: (): readonly IamRecord[] => denials,
  };
};

export type LocalIam = ReturnType<typeof createLocalIam>;
