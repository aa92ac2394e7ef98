import { expect } from '@jest/globals';
import { lastOf, pack, runtimeConversation } from '../../test/support/runtimeConversation';
import { renderActivity } from '../renderActivity';
import { cardContextOf } from './cardWords';
import { isTeamsPersonalInstall, renderTeamsActivity } from './renderTeamsActivity';

const context = cardContextOf(pack);

describe('Teams activities', () => {
  it('sends a question as a card only: no text beside it, no suggested actions, the protocol value kept', () => {
    const menu = lastOf(runtimeConversation().started.messages);
    const activity = renderTeamsActivity(menu, context, 'user-1');
    expect(activity.text).toBeUndefined();
    expect(activity.suggestedActions).toBeUndefined();
    expect(activity.value).toEqual(menu.value);
    expect(activity.summary).toBe('What would you like to do?');
    expect(activity.attachments).toEqual([{ contentType: 'application/vnd.microsoft.card.adaptive', content: expect.objectContaining({ type: 'AdaptiveCard', version: '1.5' }) }]);
  });

  it('sends a result as a card with its value', () => {
    const advice = runtimeConversation().say('Who can I call?').messages[0];
    const activity = renderTeamsActivity(advice, context);
    expect(activity.value).toMatchObject({ type: 'safeguarding.handoff', kind: 'advice-line' });
    expect(activity.attachments?.[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
  });

  it('sends any other message exactly as every channel does', () => {
    const welcome = runtimeConversation().started.messages[0];
    expect(renderTeamsActivity(welcome, context, 'user-1')).toEqual(renderActivity(welcome, 'user-1'));
  });

  it('knows a personal install by the bot being added to a 1:1 Teams chat', () => {
    const install = { channelId: 'msteams', recipient: { id: '28:bot', name: 'Bot' }, conversation: { id: 'a:1', conversationType: 'personal', isGroup: false, name: '' } };
    expect(isTeamsPersonalInstall({ ...install, membersAdded: [{ id: '28:bot', name: 'Bot' }] })).toBe(true);
    expect(isTeamsPersonalInstall({ ...install, membersAdded: [{ id: '29:someone', name: '' }] })).toBe(false);
    expect(isTeamsPersonalInstall({ ...install, conversation: { ...install.conversation, conversationType: 'channel' }, membersAdded: [{ id: '28:bot', name: 'Bot' }] })).toBe(
      false,
    );
    expect(isTeamsPersonalInstall({ ...install, channelId: 'emulator', membersAdded: [{ id: '28:bot', name: 'Bot' }] })).toBe(false);
  });
});
