"""The training losses: multi-positive contrastive and ranking distillation."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def multi_positive_loss(
    image_features: torch.Tensor,
    text_features: torch.Tensor,
    logit_scale: torch.Tensor,
    positives: torch.Tensor,
) -> torch.Tensor:
    """Symmetric CLIP cross-entropy with targets spread over every true image/text pair.

    Every image must have a true text. Texts true of no image (a statement bank's, not a
    batch's own) are left out of the text-to-image direction.
    """
    logits = logit_scale * image_features @ text_features.T
    targets = positives.float()
    loss_i = -(targets / targets.sum(1, keepdim=True) * F.log_softmax(logits, 1)).sum(1).mean()
    present = targets.sum(0) > 0
    logits, targets = logits[:, present], targets[:, present]
    loss_t = -(targets / targets.sum(0, keepdim=True) * F.log_softmax(logits, 0)).sum(0).mean()
    return (loss_i + loss_t) / 2


def rank_distillation(
    student: torch.Tensor, teacher: torch.Tensor, bank: torch.Tensor, scale: float
) -> torch.Tensor:
    """KL from the teacher's to the student's softmax rankings, texts per image and images per
    text, over a fixed bank of statements: it weighs the distinctions search relies on (which
    shape, which colour) rather than every embedding direction alike."""
    student_logits, teacher_logits = scale * student @ bank.T, scale * teacher @ bank.T
    loss = 0.0
    for dim in (1, 0):
        loss = (
            loss
            + F.kl_div(
                F.log_softmax(student_logits, dim),
                F.log_softmax(teacher_logits, dim),
                log_target=True,
                reduction="sum",
            )
            / student_logits.shape[1 - dim]
        )
    return loss / 2
