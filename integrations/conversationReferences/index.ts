export {
  createConversationReferences,
  storedReferenceSchema,
  notificationListSchema,
  webNotificationSchema,
  type ConversationReferences,
  type ConversationReferenceStores,
  type ReferenceOwner,
  type StoredReference,
  type WebNotification,
} from './conversationReferences';
