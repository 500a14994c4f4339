import { identifier } from '../../shared/argument-types/index.ts';

/** The order id argument shared by the order tools. */
export const orderIdArgument = () =>
  identifier({
    description: 'Order id: ORD- followed by six digits, such as ORD-104233.',
    pattern: /^ORD-\d{6}$/,
    max: 10,
    example: 'ORD-104233',
  });
