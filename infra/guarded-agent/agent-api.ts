import { Duration, Fn, Stack } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  CognitoUserPoolsAuthorizer,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RequestValidator,
  ResponseType,
  RestApi,
  type IResource,
  type Method,
  type MethodOptions,
} from 'aws-cdk-lib/aws-apigateway';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  UserPool,
  UserPoolClientIdentityProvider,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { PROTECTED_RESOURCE_PATH } from '../../functions/api/mcp/protected-resource.ts';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { APPROVER_GROUP, Role } from '../../shared/tool/index.ts';
import { acknowledge } from '../nag-acknowledgements.ts';
import { Grant } from 'aws-cdk-lib/aws-iam';
import * as FunctionEnv from '../../functions/commons/env/function-env.ts';
import { grantAccess } from './table-grants.ts';
import { apiAccess } from '../../functions/api/access.ts';

/**
 * What `AgentApi` fronts: the loop's state machine, the tables, the tools, Cognito and the
 * optional MCP, Slack and budget settings. `GuardedAgent` passes them.
 */
export interface AgentApiProps {
  readonly apiFunction: LambdaFunction;
  /** Serves `/mcp` (the same authorizer). */
  readonly mcpFunction: LambdaFunction;
  readonly stateMachine: StateMachine;
  readonly tables: { readonly runs: ITable; readonly audit: ITable; readonly approvals: ITable; readonly guard: ITable };
  /** Whether budgets over windows are kept (the API reads their standing). @default false */
  readonly budgets?: boolean;
  readonly logRetention: RetentionDays;
  /** Steady requests per second per stage. @default 50 */
  readonly throttleRateLimit?: number;
  /** @default 100 */
  readonly throttleBurstLimit?: number;
  /**
   * Create the account's API Gateway CloudWatch logging role. It is one per account and region:
   * deploying it replaces a role another stack may have set. Turn it off where one exists.
   * @default true
   */
  readonly cloudWatchRole?: boolean;
  /**
   * Slack is on: the API function resolves a Slack decider to their pool identity and groups at
   * decision time (USER_POOL_ID; ListUsers and AdminListGroupsForUser on this pool only).
   * @default false
   */
  readonly resolveSlackDeciders?: boolean;
  /** Cognito groups to create beside the roles and the approver group (GuardedAgent's escalation group). @default none */
  readonly extraGroups?: readonly string[];
  /**
   * MCP's authorization flow (spec 2025-11-25): a Cognito domain (`domainPrefix`, unique in the
   * region), an app client for MCP clients (authorization code with PKCE, to `callbackUrls`), a
   * scope `guarded-agents/mcp`; `/mcp` then takes access tokens, and its 401 and protected-resource
   * metadata point MCP clients at the user pool. @default none (ID tokens from `npm run token`)
   */
  readonly mcpOAuth?: McpOAuthProps;
}

/**
 * MCP's authorization flow (`mcpOAuth`): the Cognito domain prefix and the callback URLs of MCP
 * clients.
 */
export interface McpOAuthProps {
  readonly domainPrefix: string;
  /** Where MCP clients receive the code, e.g. the MCP Inspector's `http://localhost:6274/oauth/callback`. */
  readonly callbackUrls: readonly string[];
}

/** The resource server and scope of `/mcp`'s access tokens. */
export const MCP_RESOURCE_SERVER = 'guarded-agents';
export const MCP_SCOPE = `${MCP_RESOURCE_SERVER}/mcp`;
/** The stage every deployment serves (its URL ends in it). */
export const API_STAGE = 'prod';

/**
 * The front door: a Cognito user pool with the groups of DESIGN.md (user, operator, admin,
 * approver) and a REST API whose routes all go to the API function, behind the Cognito authorizer
 * except /health and Slack's callback (which proves itself with Slack's signature).
 *
 * @example
 * // GuardedAgent makes it; its user pool is where people are invited and put in groups.
 * const agent = new GuardedAgent(stack, 'Agent', { tools, toolsDir });
 * new CfnOutput(stack, 'UserPoolId', { value: agent.api.userPool.userPoolId });
 */
export class AgentApi extends Construct {
  readonly api: RestApi;
  readonly userPool: UserPool;
  /** The app client people sign in through (`npm run token`): no secret, password + TOTP. */
  readonly userPoolClient: UserPoolClient;
  /** With `mcpOAuth`: the app client MCP clients sign in through (authorization code + PKCE), and the hosted sign-in's base URL. */
  readonly mcpOAuthClient: UserPoolClient | undefined;
  readonly oauthDomainUrl: string | undefined;

  constructor(scope: Construct, id: string, props: AgentApiProps) {
    super(scope, id);
    const { userPool, client } = this.#users(props);
    this.userPool = userPool;
    this.userPoolClient = client;
    this.api = this.#restApi(props);
    const authorizer = new CognitoUserPoolsAuthorizer(this, 'Authorizer', { cognitoUserPools: [this.userPool] });
    const oauth = props.mcpOAuth ? this.#mcpOAuth(props.mcpOAuth, props.apiFunction) : undefined;
    this.mcpOAuthClient = oauth?.client;
    this.oauthDomainUrl = oauth?.domain.baseUrl();
    this.#routes(props, authorizer, oauth !== undefined);
    this.#grantApiFunction(props);
  }

  /** The invite-only user pool (MFA, strong passwords), its CLI client, and the role groups. */
  #users(props: AgentApiProps) {
    const userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.ESSENTIALS,
    });
    acknowledge(
      userPool,
      'AwsSolutions-COG8',
      'The Plus feature plan (threat protection) is a per-user cost; the pool requires MFA and strong passwords, and is invite-only. Enable Plus for production pools.',
    );
    acknowledge(
      userPool,
      'AwsSolutions-COG3',
      'Threat protection needs the Plus feature plan (a per-user cost); the pool requires MFA and strong passwords, and is invite-only. Enable Plus for production pools.',
    );
    // A public client (no secret: it runs on people's machines). USER_PASSWORD_AUTH lets the CLI
    // walk the invited user through the new-password and TOTP set-up challenges; SRP for SDKs.
    const client = userPool.addClient('Cli', {
      authFlows: { userPassword: true, userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(1),
    });
    const roles: string[] = [Role.USER, Role.OPERATOR, Role.ADMIN, APPROVER_GROUP];
    for (const group of [...roles, ...(props.extraGroups ?? []).filter((g) => !roles.includes(g))]) {
      new CfnUserPoolGroup(this, `Group-${group}`, {
        userPoolId: userPool.userPoolId,
        groupName: group,
        description: `guarded-agents ${group}`,
      });
    }
    return { userPool, client };
  }

  /** The REST API: throttled, traced, access-logged without bodies. */
  #restApi(props: AgentApiProps): RestApi {
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    const api = new RestApi(this, 'Api', {
      description: 'guarded-agents HTTP API',
      cloudWatchRole: props.cloudWatchRole ?? true,
      deployOptions: {
        stageName: API_STAGE,
        throttlingRateLimit: props.throttleRateLimit ?? 50,
        throttlingBurstLimit: props.throttleBurstLimit ?? 100,
        loggingLevel: MethodLoggingLevel.INFO,
        // Request and response bodies stay out of the logs: they hold user input and results.
        dataTraceEnabled: false,
        tracingEnabled: true,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
      },
    });
    // RestApi adds an unnamed "Endpoint" output; the stack outputs the URL under a stable name instead.
    api.node.tryRemoveChild('Endpoint');
    acknowledge(
      api,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      'The account-level role API Gateway uses to write its logs; AWS documents this managed policy for it.',
    );
    acknowledge(
      api,
      'AwsSolutions-APIG3',
      'WAF is left to the deployer (a per-request cost, and rules depend on the organisation); the stage is throttled and every route but /health and the signed Slack callback needs a Cognito token.',
    );
    return api;
  }

  /** Every route, each behind the Cognito authorizer but /health, the signed Slack callback and MCP's metadata. */
  #routes(props: AgentApiProps, authorizer: CognitoUserPoolsAuthorizer, oauth: boolean): void {
    // Basic validation here; the function validates every body against its strict schema.
    const validator = new RequestValidator(this, 'Validator', {
      restApi: this.api,
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const integration = new LambdaIntegration(props.apiFunction);
    const secured = { authorizer, authorizationType: AuthorizationType.COGNITO, requestValidator: validator };
    const add = (resource: IResource, method: string, open = false): Method => {
      const m = resource.addMethod(method, integration, open ? { requestValidator: validator } : secured);
      if (open) {
        acknowledge(
          m,
          'AwsSolutions-APIG4',
          'Open on purpose: /health serves nothing private, and Slack signs its callbacks (verified in the function).',
        );
        acknowledge(
          m,
          'AwsSolutions-COG4',
          'Open on purpose: /health serves nothing private, and Slack signs its callbacks (verified in the function).',
        );
      }
      return m;
    };
    // Each route's method, and ANY for the rest, so that a wrong method reaches the router and gets
    // its 405 (API Gateway alone would answer 403 "Missing Authentication Token").
    const route = (resource: IResource, method: string, open = false) => {
      add(resource, method, open);
      add(resource, 'ANY', open);
    };
    const root = this.api.root;
    route(root.addResource('health'), 'GET', true);
    route(root.addResource('tools'), 'GET');
    const runs = root.addResource('runs');
    add(runs, 'GET');
    route(runs, 'POST');
    const run = runs.addResource('{runId}');
    route(run, 'GET');
    const runAudit = run.addResource('audit');
    route(runAudit, 'GET');
    route(runAudit.addResource('verify'), 'GET');
    route(run.addResource('trace'), 'GET');
    // Deployed, a run's path is in the Step Functions console; the route says so (404 with where to look).
    route(run.addResource('path'), 'GET');
    route(root.addResource('usage'), 'GET');
    route(root.addResource('budgets'), 'GET');
    route(root.addResource('audit'), 'GET');
    // A user's MCP information-flow label: seen and cleared by the user themself or an admin.
    const mcpLabel = root.addResource('users').addResource('{userId}').addResource('mcp-label');
    add(mcpLabel, 'GET');
    route(mcpLabel, 'DELETE');
    this.#mcpRoutes(root, route, secured, props, oauth);
    const approvals = root.addResource('approvals');
    route(approvals, 'GET');
    const approval = approvals.addResource('{approvalId}');
    add(approval, 'GET');
    route(approval, 'POST');
    route(approval.addResource('delegate'), 'POST');
    route(root.addResource('slack').addResource('interactions'), 'POST', true);
  }

  /** MCP at /mcp (its own function), and its protected-resource metadata, open: how a client learns where to sign in. */
  #mcpRoutes(
    root: IResource,
    route: (resource: IResource, method: string, open?: boolean) => void,
    secured: MethodOptions,
    props: AgentApiProps,
    oauth: boolean,
  ): void {
    // MCP: its own function; any other method reaches it too, for its 405.
    // With the OAuth flow, /mcp takes access tokens: the MCP scope (OAuth clients) or Cognito's own (npm run token -- --access).
    const mcp = root.addResource('mcp');
    const mcpAuth = oauth ? { ...secured, authorizationScopes: [MCP_SCOPE, 'aws.cognito.signin.user.admin'] } : secured;
    for (const method of ['POST', 'ANY']) mcp.addMethod(method, new LambdaIntegration(props.mcpFunction), mcpAuth);
    // Its protected-resource metadata (RFC 9728), open: it is how a client learns where to sign in.
    const metadata = root.addResource('.well-known').addResource('oauth-protected-resource');
    route(metadata, 'GET', true);
    route(metadata.addResource('mcp'), 'GET', true);
    if (oauth) {
      // API Gateway answers a request without a token itself: its 401 names the metadata, as the spec asks.
      const metadataUrl = Fn.join('', [
        'https://',
        this.api.restApiId,
        '.execute-api.',
        Stack.of(this).region,
        '.',
        Stack.of(this).urlSuffix,
        `/${API_STAGE}${PROTECTED_RESOURCE_PATH}/mcp`,
      ]);
      this.api.addGatewayResponse('Unauthorized', {
        type: ResponseType.UNAUTHORIZED,
        responseHeaders: { 'WWW-Authenticate': Fn.join('', [`'Bearer resource_metadata="`, metadataUrl, `", scope="${MCP_SCOPE}"'`]) },
      });
    }
  }

  /** The API function's grants: exactly what its routes do. */
  #grantApiFunction(props: AgentApiProps): void {
    if (props.resolveSlackDeciders) {
      props.apiFunction.addEnvironment(FunctionEnv.USER_POOL_ID.name, this.userPool.userPoolId);
      this.userPool.grant(props.apiFunction, 'cognito-idp:ListUsers', 'cognito-idp:AdminListGroupsForUser');
    }

    grantAccess(props.tables, props.apiFunction, apiAccess({ budgets: props.budgets ?? false }));
    props.stateMachine.grantStartExecution(props.apiFunction);
    // A decision resumes the waiting task. SendTaskSuccess supports no resource-level permission (IAM
    // asks for it on "*"): grantTaskResponse's grant on the state machine's ARN would be denied on
    // AWS (aws-cdk discussion #26401), and would add SendTaskFailure and SendTaskHeartbeat, never sent.
    Grant.addToPrincipal({ grantee: props.apiFunction, actions: ['states:SendTaskSuccess'], resourceArns: ['*'] });
    acknowledge(
      props.apiFunction,
      'AwsSolutions-IAM5[Resource::*]',
      'states:SendTaskSuccess supports no resource-level permission (IAM evaluates it on *); the task token the API holds is what names the one task it answers.',
    );
  }

  /** The Cognito side of MCP's authorization flow: a domain, the `/mcp` scope, and a public client for MCP clients. */
  #mcpOAuth(props: McpOAuthProps, apiFunction: LambdaFunction) {
    const domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: props.domainPrefix } });
    const scope = new ResourceServerScope({ scopeName: 'mcp', scopeDescription: 'Call the guarded tools over MCP' });
    const server = this.userPool.addResourceServer('McpScopes', { identifier: MCP_RESOURCE_SERVER, scopes: [scope] });
    // Public (no secret: MCP clients run on people's machines); the code flow with PKCE, as MCP requires.
    const client = this.userPool.addClient('McpClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.resourceServer(server, scope)],
        callbackUrls: [...props.callbackUrls],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(1),
    });
    // The API serves the metadata: the issuer is the user pool (its OpenID discovery lists the endpoints).
    apiFunction.addEnvironment(
      FunctionEnv.MCP_OAUTH_ISSUER.name,
      `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`,
    );
    apiFunction.addEnvironment(FunctionEnv.MCP_OAUTH_SCOPES.name, MCP_SCOPE);
    return { client, domain };
  }
}
