// What a page hears when the service ends its stream: shared by the stream hub and the web chat page's
// script, so a plain file without imports (the browser bundle takes it without the server).

/** Why the service closes a stream. The page says which, so no page stops receiving without saying so (issue 20 item 1). */
export const streamEndReasons = ['replaced', 'signed-out', 'conversation-ended'] as const;

export type StreamEndReason = (typeof streamEndReasons)[number];

/** The event a closing stream sends last: never stored, read by the web chat page (Web Chat itself shows no events). */
export const streamEndedEventName = 'safeguarding.streamEnded';
