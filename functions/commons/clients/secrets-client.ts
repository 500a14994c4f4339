import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** The Secrets Manager client of a tool with an `mcpServer` resource (its server's credentials; other tools' bundles leave it out). */
export const newSecretsClient = () => new SecretsManagerClient({});
