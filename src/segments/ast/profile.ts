/** `consent email = granted`: the consent table; no row for the channel is a missing value. */
export interface ConsentNode {
  readonly kind: 'consent';
  readonly channel: string;
  readonly op: '=' | '!=';
  readonly status: string;
}

/** `in segment "vip"`: the named segment's definition, evaluated at the same as_of. */
export interface InSegmentNode {
  readonly kind: 'in_segment';
  readonly segment: string;
}
