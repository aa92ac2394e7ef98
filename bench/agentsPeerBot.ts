import { createRequire } from 'node:module';
import { DialogSet, DialogTurnStatus, TextPrompt, WaterfallDialog, type DialogState, type WaterfallStep } from '@microsoft/agents-hosting-dialogs';
import { screeningAnswers } from './drivers';
import { serveSdkBot, type Hosting } from './sdkBotServer';

/**
 * The idiomatic peer: the Agents SDK's dialogs package, a waterfall of text prompts (one per screening
 * question) on MemoryStorage. State in memory, no encryption, no compare-and-set, no audit: what the
 * framework's own way of asking questions costs.
 *
 * The newest dialogs package (0.6.22) pins `@microsoft/agents-hosting` 0.6.22 and does not load against
 * 1.8 (it imports a path 1.8's `agents-activity` no longer exports), so the peer runs on the hosting copy
 * the dialogs package brings. Its API for what is used here is 1.8's, whose types stand in for it.
 */
const hosting = createRequire(require.resolve('@microsoft/agents-hosting-dialogs'))('@microsoft/agents-hosting') as Hosting;
type DialogsTurnContext = Parameters<DialogSet['createContext']>[0];
type DialogsAccessor = ConstructorParameters<typeof DialogSet>[0];

const conversationState = new hosting.ConversationState(new hosting.MemoryStorage());
const dialogs = new DialogSet(conversationState.createProperty<DialogState>('dialogState') as unknown as DialogsAccessor);
dialogs.add(new TextPrompt('answer'));
const steps: WaterfallStep[] = screeningAnswers.map((_answer, i) => async (step) => step.prompt('answer', { prompt: `Question ${i + 1}` }));
dialogs.add(new WaterfallDialog('screening', [...steps, async (step) => step.endDialog()]));

serveSdkBot(async (context) => {
  const dc = await dialogs.createContext(context as unknown as DialogsTurnContext);
  const result = await dc.continueDialog();
  if (result.status === DialogTurnStatus.empty) await dc.beginDialog('screening');
  await conversationState.saveChanges(context, false);
}, hosting);
