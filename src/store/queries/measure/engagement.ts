/** Segment-spec email event names (Segment's "Email Events" spec), compared in lower case. */
export const EMAIL_OPENS = ['email opened'];
export const EMAIL_CLICKS = ['email link clicked', 'email clicked'];
export const UNSUBSCRIBES = ['unsubscribed', 'email unsubscribed'];
