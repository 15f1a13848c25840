using Retrieval.Train.Training;

return TrainCommand.Create().Parse(args).Invoke();
