/** Prompts an empty conversation offers, by the kind of resource the page shows. */
export function defaultPredefinedPrompts(resourceId: string | null): string[] {
  if (resourceId?.includes('/MergeRequest/')) {
    return ['Summarize this merge request', 'What changed in this merge request?', 'What are the risks of this change?', 'How do I review a merge request?']
  }
  if (resourceId?.includes('/Issue/') || resourceId?.includes('/Epic/')) {
    return ['Summarize this issue', 'What are the next steps?', 'What do the comments say?', 'How do I create an issue template?']
  }
  return ['What is GitLab Duo Chat?', 'How do I configure a CI/CD pipeline?', 'How do I create a merge request?', 'How do I use issue boards?']
}
