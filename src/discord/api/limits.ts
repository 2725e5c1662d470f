/**
 * Discord's size limits, in one place. Lengths are counted in UTF-16 code
 * units, which is never less than what Discord counts, so staying under them
 * here keeps Discord from answering 400.
 */
export const Limits = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  fields: 25,
  embedTotal: 6000,
  customId: 100,
  buttonLabel: 80,
  buttonsPerRow: 5,
  rows: 5,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  commandName: 32,
  commandDescription: 100,
  commandOptions: 25,
  modalTitle: 45,
  modalFields: 5,
  textInputLabel: 45,
  textInputValue: 4000,
  textInputPlaceholder: 100,
  threadName: 100,
  /** Name, description and every option's name, description and choices, together. */
  commandTotal: 4000,
} as const;
